"""Backups that restore: one archive holds the database, the stored files and a manifest.

`create.create_backup` writes an archive (`heard backup`), `restore.restore_backup` brings one
back into an empty database and data folder (`heard restore`), `schedule` takes them on a
schedule in the worker and keeps the newest few. Each kind of database has a module in
`vendors/`: how to dump it to one file, and how to load that file into an empty database.
"""
