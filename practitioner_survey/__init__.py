"""practitioner_survey: a charity's annual survey of domestic-abuse practitioners, from returns to published report.

The package is in wings, each a folder (or a module) whose docstring says what it owns and what it may import.
Imports run down these layers only (tests/test_layering.py holds them): `cli`; `report`, `exchange`,
`synthetic`; `counting`, `coding`, `loading`; `store`; `returns`, `codebook`; `reference`; `errors`.
"""
