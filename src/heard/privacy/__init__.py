"""The participant's rights: erasing a person everywhere (`erasure.py`), what is kept of an
erasure (`models.Erasure`), and the command line for those who handle such requests."""
