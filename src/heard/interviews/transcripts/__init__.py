"""Transcripts: what was said in a recorded call, segment by segment, with who said it and when.

`document.py` is the one shape every part shares: the importers and exporters of other tools'
formats (`formats/`), the local transcription engine, and the models that keep a transcript
of an interview. It needs no database, so the command line reads and writes transcripts
without one.
"""
