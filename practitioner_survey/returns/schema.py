"""The returns format: the two tables a year's returns hold, their columns and allowed values."""

from __future__ import annotations

SERVICES = "services"
STAFFING = "staffing"

RESPONSE_MODES = ("online", "phone", "rolled_over", "other_source")
IDVA_CASES = ("marac", "court", "both")
FREE_TEXT_QUESTIONS = ("biggest_difference", "survivor_challenges", "other_comments")

SERVICES_COLUMNS = (
    "service_id",
    "service_name",
    "employs_practitioners",
    "response_mode",
    "source_note",
    "idva_cases",
    "idva_locations",
    *FREE_TEXT_QUESTIONS,
)
#: Columns a services sheet must have; the others may be absent and are then blank.
SERVICES_REQUIRED = ("service_id", "service_name", "employs_practitioners")

#: Practitioner types as (type key, FTE column), in the order the report prints them.
PRACTITIONER_TYPES = (
    ("idva", "idva_fte"),
    ("outreach", "outreach_fte"),
    ("refuge", "refuge_fte"),
    ("isva", "isva_fte"),
    ("ypva", "ypva_fte"),
    ("children", "children_fte"),
    ("perpetrator", "perpetrator_fte"),
)
FTE_COLUMNS = (
    "idva_fte",
    "idva_fte_high_risk",
    "outreach_fte",
    "refuge_fte",
    "isva_fte",
    "ypva_fte",
    "children_fte",
    "perpetrator_fte",
    "other_fte",
)
COUNT_COLUMNS = ("idva_headcount", "volunteers")
STAFFING_COLUMNS = ("service_id", "police_force_area", "idva_headcount", *FTE_COLUMNS[:9], "volunteers")
STAFFING_REQUIRED = ("service_id", "police_force_area")

#: Where Idvas are based: top-level locations, and the sub-settings that roll up into Health and Local Authority.
IDVA_LOCATIONS = (
    "Specialist Domestic Abuse Service",
    "Police",
    "Courts",
    "Housing Association",
    "Other",
    "Health: A&E",
    "Health: Maternity",
    "Health: Whole hospital",
    "Health: GP surgeries",
    "Health: Community health visitors",
    "Local Authority: Children's services",
    "Local Authority: MASH",
    "Local Authority: Adult social care",
    "Local Authority: Housing",
)
#: The report's location table groups sub-settings under their heading, in this order.
LOCATION_GROUPS = (
    "Specialist Domestic Abuse Service",
    "Police",
    "Health",
    "Local Authority",
    "Other",
    "Courts",
    "Housing Association",
)


def location_group(location: str) -> str:
    """'Health: A&E' -> 'Health'; top-level locations map to themselves."""
    return location.split(":", 1)[0].strip()
