"""Bulk downloads of the public record (issue 17, docs/api.md "Bulk downloads"): every
registered resource as JSON Lines and CSV, zipped with its data dictionary and the
licence, built at night (`opendata.tasks`, `manage.py build_open_data`) into
`OPEN_DATA_DOWNLOADS_DIR` and listed at `/api/v1/downloads/`.

`tables` turns a resource's serializer into CSV columns and a data dictionary, `build`
writes the files and their manifest atomically, `views` lists and serves them."""
