"""Pages about the whole repository: the tags index (filled in by the
mkdocs-material tags plugin) and the sustainability scheme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator.models.model import Kind
from generator.site.context import SCHEME_DOC, SiteContext
from generator.site.parts import band, block, head, meta, none, page
from generator.site.registers import NOT_ASSESSED, rating_of
from generator.site.render import esc
from generator.site.text import fact_words, number, plural

TAGS_DOC = "tags.md"


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    yield TAGS_DOC, tags_page()
    yield SCHEME_DOC, sustainability_page(ctx)


def tags_page() -> str:
    intro = (
        "<p>Applications, capabilities and vendors by the tags their pages carry. Select a tag on any page to "
        "come here.</p>"
    )
    return page(
        meta("Tags", search={"exclude": True}),
        block(f'<div class="ea-head"><h1>Tags</h1>{intro}</div>'),
        "\n<!-- material/tags -->\n",
    )


def sustainability_page(ctx: SiteContext) -> str:
    scheme = ctx.catalog.scheme
    if scheme is None:
        return page(
            meta("Sustainability"),
            block('<div class="ea-head"><h1>Sustainability</h1></div>'),
            block(none("There is no sustainability scheme yet: add architecture/sustainability.md.")),
        )
    src = ctx.catalog.sources.get((Kind.SCHEME, "sustainability"))
    apps = ctx.catalog.applications
    ratings = Counter(rating_of(ctx, i) for i in apps if apps[i].lifecycle != "retired")
    register = ctx.href(SCHEME_DOC, "applications/index.md")
    rows = []
    for b in sorted(scheme.bands, key=lambda b: -b.min_score):
        count = ratings.get(b.rating, 0)
        rows.append(
            f'<tr><td>{band(b.rating)}</td><td class="ea-num">{esc(number(b.min_score))}</td>'
            f"<td>{esc(b.meaning or '')}</td>"
            f'<td class="ea-num"><a href="{esc(register)}?rating={esc(b.rating)}">{esc(number(count))}</a></td></tr>'
        )
    missing = ratings.get(NOT_ASSESSED, 0)
    bands = (
        '<div class="ea-table-wrap"><table class="ea-table"><thead><tr><th>Rating</th>'
        '<th class="ea-num">Lowest score</th><th>Meaning</th><th class="ea-num">Applications</th></tr></thead>'
        "<tbody>" + "".join(rows) + "</tbody></table></div>"
        f'<p><a href="{esc(register)}?rating={esc(NOT_ASSESSED)}">{esc(plural(missing, "application"))}</a> '
        f"{'has' if missing == 1 else 'have'} no assessment (retired ones need none). An assessment older than "
        f"{esc(plural(scheme.max_age_months, 'month'))} should be done again.</p>"
    )
    crit, fields = [], []
    for c in scheme.criteria:
        if c.points:
            rule = ", ".join(f"{fact_words(c.fact, k)}: {number(v)}" for k, v in c.points.items())
        else:
            rule = ", ".join(f"at most {number(t.value)}: {number(t.points)}" for t in c.at_most)
        rule += f"; otherwise {number(c.otherwise)}"
        crit.append(
            f"<tr><td><strong>{esc(c.name)}</strong>"
            + (f'<br><span class="ea-sub">{esc(c.description)}</span>' if c.description else "")
            + f"</td><td>{esc(rule)}</td>"
            f'<td class="ea-num">{esc(number(c.weight))}</td></tr>'
        )
        fields.append(f"<li>{esc(c.name)}: <code>{esc(c.fact)}</code></li>")
    criteria = (
        '<div class="ea-table-wrap"><table class="ea-table"><thead><tr><th>Criterion</th>'
        '<th>Points</th><th class="ea-num">Weight</th></tr></thead><tbody>' + "".join(crit) + "</tbody></table></div>"
        "<p>The score is the weighted share of the most points an application could earn, from 0 to 100. "
        "Criteria about the supplier do not count for systems built in-house.</p>"
    )
    return page(
        meta("Sustainability"),
        head(ctx, "Sustainability scheme", scheme.name, source=src.path if src else None),
        "\n## How it works\n",
        block(ctx.scheme_body() or none("The scheme has no explanation yet.")),
        "\n## Ratings\n",
        block(bands),
        "\n## Criteria\n",
        block(criteria),
        "\n## For architects\n",
        block(
            "<p>The field of an application's file each criterion reads:</p>"
            f'<ul>{"".join(fields)}</ul>'
            + (f"<p>The scheme is in <code>{esc(src.path)}</code>.</p>" if src else "")
        ),
    )

