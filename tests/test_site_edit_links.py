"""'Edit this page' for the three places councils keep repositories: GitHub,
GitLab (its own path) and Azure Repos (file and branch in the query)."""

from __future__ import annotations

import pytest

from generator.site.config import edit_base


@pytest.mark.parametrize(
    ("repo", "edit_uri", "source", "expected"),
    [
        ("https://github.com/c/ea", None, "applications/x.md", "https://github.com/c/ea/edit/main/applications/x.md"),
        (
            "https://gitlab.com/c/ea/",
            None,
            "applications/x.md",
            "https://gitlab.com/c/ea/-/edit/main/applications/x.md",
        ),
        (
            "https://dev.azure.com/council/architecture/_git/ea",
            None,
            "applications/x.md",
            "https://dev.azure.com/council/architecture/_git/ea?version=GBmain&_a=contents&path=/applications/x.md",
        ),
        (
            "https://council.visualstudio.com/architecture/_git/ea",
            "edit/trunk/",
            "capabilities/y.md",
            "https://council.visualstudio.com/architecture/_git/ea?version=GBtrunk&_a=contents&path=/capabilities/y.md",
        ),
    ],
)
def test_edit_links_open_the_file(repo: str, edit_uri: str | None, source: str, expected: str) -> None:
    base = edit_base(repo, edit_uri)
    assert base is not None and base + source == expected


def test_an_azure_devops_address_without_a_repository_gets_no_broken_query() -> None:
    # not an Azure Repos address (no /_git/): treated as any other host
    assert edit_base("https://dev.azure.com/council", None) == "https://dev.azure.com/council/edit/main/"
