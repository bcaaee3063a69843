"""Getting content in and out of the repository: spreadsheet and ArchiMate
import, CSV/Excel/JSON/ArchiMate export, JSON Schema, entity templates and the
Local Government Service List.

Every module here is library code: it never imports click, reports problems
as data (``Message`` lists, findings) and raises ``EaError`` only when it
cannot run at all. Imports plan their files first (``Plan``) and write them in
a separate step, so a dry run and a real run take the same path.
"""
