"""The intranet site: pages generated as Markdown from the catalog, then
built by MkDocs with mkdocs-material.

Data flows one way: ``context`` gathers what every page needs from the
catalog, the page modules (``home``, ``registers``, ``entities``,
``capabilities``, ``overview``) write pages through ``generate``, ``config``
and ``engine`` run MkDocs, ``build`` puts it together safely and ``serve``
rebuilds on change. Nothing here imports click.
"""
