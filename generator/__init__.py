"""Enterprise architecture repository generator for UK councils.

The package is a library first: loading, validation, analyses and page
generation never import click, so they can be tested and reused; ``cli`` is the
only module that speaks to a terminal.
"""

__version__ = "0.1.0"
