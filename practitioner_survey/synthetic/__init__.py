"""The seeded generator of the bundled synthetic years (`python -m practitioner_survey.synthetic`).

It writes `responses/2016` and `responses/2017`: returns that agree with every published figure, free text drawn
from the text banks in `text/`, and coded comments. Used by nobody else in the package; above counting and coding,
whose functions check that what it writes counts to the published tables.
"""
