"""REFI-QDA exchange: a study as a project ATLAS.ti, NVivo, MAXQDA and QualCoder open, its
validation points as their codebook, and a project coded there brought back as highlights."""
