"""Recordings of an interview's call: upload in pieces, probing, storage, the playback copy,
serving with access checks and byte ranges."""
