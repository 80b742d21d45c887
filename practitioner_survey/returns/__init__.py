"""A return, read and checked: workbook or CSV files -> validated tables, every problem located by cell.

Owns the returns format (`schema`), reading files into tables of text cells (`sheets` finds them, `workbook` and
`csvfile` read them, `archive` guards a workbook's unpacking, `table` matches their headers), checking and
converting every cell (`cells`) and row (`records`) into validated tables (`validate`), a survey tool's export read
through its mapping file (`mapping` with `yamltext`, `exportsheet`, `export`), revision files (`provenance`) and the
fill-in return a service completes offline (`template`). Pure: it imports only `errors` and `reference`, never the
store.
"""

from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_exports

if TYPE_CHECKING:
    from practitioner_survey.returns.export import read_export
    from practitioner_survey.returns.mapping import load_mapping
    from practitioner_survey.returns.provenance import Revision, plan_revisions, read_revisions
    from practitioner_survey.returns.sheets import read_return
    from practitioner_survey.returns.validate import Returns, read_acknowledgements, read_returns

__all__ = [
    "Returns",
    "Revision",
    "load_mapping",
    "plan_revisions",
    "read_acknowledgements",
    "read_export",
    "read_return",
    "read_returns",
    "read_revisions",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Returns": "validate",
        "read_returns": "validate",
        "read_acknowledgements": "validate",
        "read_return": "sheets",
        "Revision": "provenance",
        "read_revisions": "provenance",
        "plan_revisions": "provenance",
        "read_export": "export",
        "load_mapping": "mapping",
    },
)
