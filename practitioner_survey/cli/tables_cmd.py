"""`survey tables`: placeholder while the counting module is written."""
