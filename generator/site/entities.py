"""One page per entity: every field in words, the description, relations
both ways, and the entity's diagram."""

from __future__ import annotations

from collections.abc import Iterator

from generator.models.model import Application, Capability, Kind, Organisation, Vendor
from generator.site import roadmap
from generator.site.context import KIND_LABELS, SiteContext
from generator.site.governance import decisions_section
from generator.site.parts import (
    band,
    block,
    diagram,
    disposition_badge,
    fields,
    head,
    lifecycle_badge,
    links,
    contact_link,
    meta,
    none,
    owner,
    page,
    relations,
)
from generator.site.render import esc, external_link
from generator.site.text import (
    DISPOSITION_LABELS,
    DISPOSITION_MEANINGS,
    HOSTING_LABELS,
    LIFECYCLE_LABELS,
    LIFECYCLE_MEANINGS,
    ORG_TYPE_LABELS,
    add_months,
    fact_words,
    long_date,
    money,
    number,
    plural,
)


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    for id_ in sorted(ctx.catalog.applications):
        yield ctx.doc(Kind.APPLICATION, id_), application_page(ctx, id_)
    for id_ in sorted(ctx.catalog.capabilities):
        yield ctx.doc(Kind.CAPABILITY, id_), capability_page(ctx, id_)
    for id_ in sorted(ctx.catalog.vendors):
        yield ctx.doc(Kind.VENDOR, id_), vendor_page(ctx, id_)
    for id_ in sorted(ctx.catalog.organisations):
        yield ctx.doc(Kind.ORGANISATION, id_), organisation_page(ctx, id_)


def _architects(ctx: SiteContext, kind: Kind, id_: str) -> str:
    """The id and file an architect edits, kept apart from what staff read."""
    source = ctx.catalog.source(kind, id_).path
    return "\n## For architects\n" + block(
        f'<p class="ea-sub">Id <code>{esc(id_)}</code> in the file <code>{esc(source)}</code>.</p>'
    )


def _description(ctx: SiteContext, kind: Kind, id_: str, doc: str) -> str:
    body = ctx.body(kind, id_, doc)
    return "\n## Description\n" + block(body or none("No description yet."))


# --- applications -------------------------------------------------------------


def contract_text(ctx: SiteContext, app: Application) -> str:
    """End date, notice date (flagged when it has passed) and reference."""
    contract = app.contract
    if contract is None:
        return ""
    parts = []
    if contract.end is not None:
        ended = contract.end < ctx.today
        text = f"{'Ended' if ended else 'Ends'} on {long_date(contract.end)}"
        parts.append(f'<span class="ea-late">{esc(text)}</span>' if ended and app.lifecycle != "retired" else esc(text))
        if contract.notice_months is not None:
            by = add_months(contract.end, -contract.notice_months)
            months = "1 month's" if contract.notice_months == 1 else f"{number(contract.notice_months)} months'"
            notice = f"{months} notice: must be given by {long_date(by)}"
            late = by < ctx.today <= contract.end
            # in words as well as colour: the date has passed
            parts.append(f'<span class="ea-late">{esc(notice)} (passed)</span>' if late else esc(notice))
    elif contract.notice_months is not None:
        parts.append(esc(f"{plural(contract.notice_months, 'month')} notice"))
    if contract.reference:
        parts.append(esc(f"Reference {contract.reference}"))
    return "<br>".join(parts)


def _rating_section(ctx: SiteContext, id_: str, app: Application) -> str:
    scheme = ctx.catalog.scheme
    rating = ctx.ratings.get(id_)
    scheme_link = f'<a href="{esc(ctx.href(ctx.doc(Kind.APPLICATION, id_), "sustainability.md"))}">the scheme</a>'
    if scheme is None:
        return none("There is no sustainability scheme, so no rating is computed.")
    if rating is None:
        return (
            '<p class="ea-check">Not assessed yet: the architecture team has not recorded a sustainability '
            f"assessment for this system. See {scheme_link}.</p>"
        )
    meaning = f" ({rating.band.meaning})" if rating.band.meaning else ""
    assessed = app.sustainability.assessed if app.sustainability else None
    lines = [
        f'<p class="ea-rating">{band(rating.rating, rating.band.meaning or "")}'
        f"{esc(f'Rating {rating.rating}{meaning}. Score {number(rating.score)} out of 100.')}</p>"
    ]
    if assessed is not None:
        stale = add_months(assessed, scheme.max_age_months) < ctx.today
        text = f"Assessed on {long_date(assessed)}."
        if stale:
            lines.append(
                f'<p class="ea-check">{esc(text)} The assessment is more than '
                f"{esc(plural(scheme.max_age_months, 'month'))} old: it should be done again.</p>"
            )
        else:
            lines.append(f"<p>{esc(text)}</p>")
    rows = []
    for score in rating.criteria:
        c = score.criterion
        value = (
            "not applicable (in-house)"
            if not score.applies
            else ("not recorded" if score.value is None else score.value)
        )
        if score.applies and score.value is not None:
            value = fact_words(c.fact, score.value)
        points = f"{number(score.points)} of {number(c.max_points)}" if score.applies else "–"
        rows.append(
            f'<tr><td>{esc(c.name)}</td><td>{esc(value)}</td><td class="ea-num">{esc(points)}</td>'
            f'<td class="ea-num">{esc(number(c.weight))}</td></tr>'
        )
    lines.append(
        '<div class="ea-table-wrap"><table class="ea-table"><thead><tr><th>Criterion</th><th>Fact</th>'
        '<th class="ea-num">Points</th><th class="ea-num">Weight</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )
    lines.append(f"<p>How the rating is worked out: {scheme_link}.</p>")
    return "\n".join(lines)


def application_page(ctx: SiteContext, id_: str) -> str:
    app: Application = ctx.catalog.applications[id_]
    doc = ctx.doc(Kind.APPLICATION, id_)
    source = ctx.catalog.source(Kind.APPLICATION, id_).path
    badges = [lifecycle_badge(app.lifecycle), disposition_badge(app.disposition)]
    rating = ctx.ratings.get(id_)
    if rating is not None:
        badges.append(band(rating.rating, f"Sustainability rating {rating.rating}"))
    extra = ""
    if app.aliases:
        extra += f'<p class="ea-summary">Also known as {esc(", ".join(app.aliases))}.</p>'
    extra += f'<p class="ea-badges">{" ".join(b for b in badges if b)}</p>'
    vendor = ctx.link(doc, Kind.VENDOR, app.vendor) if app.vendor else esc("None (built or run in-house)")
    disposition = ""
    if app.disposition:
        disposition = esc(f"{DISPOSITION_LABELS[app.disposition]}: {DISPOSITION_MEANINGS[app.disposition]}")
    rows = [
        ("Vendor", vendor),
        ("Product", esc(app.product) if app.product else ""),
        ("Capabilities supported", links(ctx, doc, Kind.CAPABILITY, app.capabilities)),
        ("Business owner", owner(ctx, doc, app.owner)),
        ("Brought by (predecessor)", ctx.link(doc, Kind.ORGANISATION, app.origin) if app.origin else ""),
        ("Lifecycle", esc(f"{LIFECYCLE_LABELS[app.lifecycle]}: {LIFECYCLE_MEANINGS[app.lifecycle]}")),
        ("TIME disposition", disposition),
        ("Replaced by", ctx.link(doc, Kind.APPLICATION, app.replaced_by) if app.replaced_by else ""),
        ("Hosting", esc(HOSTING_LABELS[app.hosting])),
        ("Users", esc(f"About {number(app.users)} staff") if app.users is not None else ""),
        ("Annual cost", esc(f"{money(app.annual_cost)} a year") if app.annual_cost is not None else ""),
        ("Carbon", roadmap.carbon_text(ctx, id_)),
        ("Contract", contract_text(ctx, app)),
        ("Plan", roadmap.plan_text(ctx, id_, doc)),
    ]
    return page(
        meta(app.name, app.tags),
        head(ctx, KIND_LABELS[Kind.APPLICATION], app.name, source=source, extra=extra),
        "\n## Key facts\n",
        block(fields(rows)),
        _description(ctx, Kind.APPLICATION, id_, doc),
        "\n## Sustainability\n",
        block(_rating_section(ctx, id_, app)),
        decisions_section(ctx, Kind.APPLICATION, id_, doc),
        "\n## Relations\n",
        block(relations(ctx, Kind.APPLICATION, id_, doc)),
        "\n## Context diagram\n",
        block(
            diagram(
                ctx,
                f"context/{id_}",
                "context",
                "application",
                id_,
                "The application, the systems it depends on and the systems that depend on it, each arrow "
                "labelled with the data that flows. Select a box to open that application's page.",
            )
        ),
        _architects(ctx, Kind.APPLICATION, id_),
    )


# --- capabilities -------------------------------------------------------------


def active_for(ctx: SiteContext, cap_id: str, *, rolled_up: bool) -> list[str]:
    apps = ctx.catalog.applications
    return [a for a in ctx.catalog.applications_for(cap_id, rolled_up=rolled_up) if apps[a].lifecycle == "active"]


def level(ctx: SiteContext, cap_id: str) -> int:
    depth, seen = 1, {cap_id}
    parent = ctx.catalog.capabilities[cap_id].parent
    while parent in ctx.catalog.capabilities and parent not in seen:
        seen.add(parent)
        depth += 1
        parent = ctx.catalog.capabilities[parent].parent
    return depth


def descendants(ctx: SiteContext, cap_id: str) -> list[str]:
    """Every capability beneath ``cap_id``, depth first, each level by name."""
    caps = ctx.catalog.capabilities
    out: list[str] = []
    seen = {cap_id}

    def walk(parent: str) -> None:
        kids = sorted(ctx.catalog.children(Kind.CAPABILITY, parent), key=lambda c: (caps[c].name.casefold(), c))
        for kid in kids:
            if kid not in seen and kid in caps:
                seen.add(kid)
                out.append(kid)
                walk(kid)

    walk(cap_id)
    return out


APP_TABLE_HEAD = (
    "<thead><tr><th>Application</th><th>Business owner</th><th>Lifecycle</th><th>TIME decision</th>"
    '<th>Sustainability rating</th><th class="ea-num">Annual cost</th><th>Contract ends</th></tr></thead>'
)


def _app_rows(ctx: SiteContext, doc: str, app_ids: list[str]) -> str:
    apps = ctx.catalog.applications
    rows = []
    for a in sorted(app_ids, key=lambda i: (apps[i].name.casefold(), i)):
        app = apps[a]
        rating = ctx.ratings.get(a)
        vendor = ctx.catalog.vendors.get(app.vendor) if app.vendor else None
        supplier = f'<br><span class="ea-sub">{esc(vendor.name)}</span>' if vendor else ""
        end = app.contract.end if app.contract else None
        ends = ""
        if end is not None:
            ends = esc(long_date(end))
            if end < ctx.today and app.lifecycle != "retired":
                ends = f'<span class="ea-late">{ends} (ended)</span>'
        rows.append(
            f"<tr><td>{ctx.link(doc, Kind.APPLICATION, a)}{supplier}</td>"
            f"<td>{owner(ctx, doc, app.owner, short=True)}</td>"
            f"<td>{lifecycle_badge(app.lifecycle)}</td><td>{disposition_badge(app.disposition)}</td>"
            f"<td>{band(rating.rating, f'Sustainability rating {rating.rating}') if rating else ''}</td>"
            f'<td class="ea-num">{esc(money(app.annual_cost)) if app.annual_cost is not None else ""}</td>'
            f'<td class="ea-nowrap">{ends}</td></tr>'
        )
    return "\n".join(rows)


def _app_table(ctx: SiteContext, doc: str, cap_id: str) -> str:
    """The systems of this capability and of every capability beneath it,
    one group each: what staff ask a capability page first ("which system
    do we use for council tax, who owns it, when does its contract end?")."""
    caps = ctx.catalog.capabilities
    groups = [(cap_id, ctx.catalog.applications_for(cap_id))]
    groups += [(c, ctx.catalog.applications_for(c)) for c in descendants(ctx, cap_id)]
    groups = [(c, ids) for c, ids in groups if ids]
    if not groups:
        return none("No application supports this capability or any capability beneath it.")
    count = len({a for _, ids in groups for a in ids})
    verb = "supports" if count == 1 else "support"
    where = "this capability" if len(groups) == 1 and groups[0][0] == cap_id else "this capability or one beneath it"
    summary = f"{plural(count, 'application')} {verb} {where}, grouped by the capability each supports."
    out = [f"<p>{esc(summary)}</p>"]
    for group, ids in groups:
        if group == cap_id:
            caption = f"Supporting {caps[cap_id].name} itself"
            title = esc(caption)
        else:
            title = f"Supporting {ctx.link(doc, Kind.CAPABILITY, group)}"
            caption = f"Supporting {caps[group].name}"
        out.append(
            f'<h3 class="ea-group">{title}</h3>'
            f'<div class="ea-table-wrap"><table class="ea-table ea-wide"><caption class="ea-hidden">{esc(caption)}'
            f"</caption>{APP_TABLE_HEAD}<tbody>{_app_rows(ctx, doc, ids)}</tbody></table></div>"
        )
    return "\n".join(out)


def capability_page(ctx: SiteContext, id_: str) -> str:
    cap: Capability = ctx.catalog.capabilities[id_]
    doc = ctx.doc(Kind.CAPABILITY, id_)
    source = ctx.catalog.source(Kind.CAPABILITY, id_).path
    active_all = active_for(ctx, id_, rolled_up=True)
    extra = f'<p class="ea-summary">{esc(cap.description)}</p>' if cap.description else ""
    gap = "" if active_all else '<p class="ea-check">No active application supports this capability (a gap).</p>'
    rows = [
        ("Part of", ctx.link(doc, Kind.CAPABILITY, cap.parent) if cap.parent else esc("Top level")),
        ("Level", esc(str(level(ctx, id_)))),
        ("Owner", owner(ctx, doc, cap.owner) if cap.owner else ""),
        (
            "Active applications",
            esc(f"{len(active_for(ctx, id_, rolled_up=False))} here, {len(active_all)} including sub-capabilities"),
        ),
        ("LGSL services", _lgsl(ctx, cap.lgsl)),
    ]
    return page(
        meta(cap.name, cap.tags),
        head(ctx, KIND_LABELS[Kind.CAPABILITY], cap.name, source=source, extra=extra + gap),
        "\n## Key facts\n",
        block(fields(rows)),
        "\n## Applications\n",
        block(_app_table(ctx, doc, id_)),
        decisions_section(ctx, Kind.CAPABILITY, id_, doc),
        _description(ctx, Kind.CAPABILITY, id_, doc),
        "\n## Relations\n",
        block(relations(ctx, Kind.CAPABILITY, id_, doc)),
        "\n## Rationalisation diagram\n",
        block(
            diagram(
                ctx,
                f"rationalisation/{id_}",
                "rationalisation",
                "capability",
                id_,
                "The capability, its sub-capabilities and every application supporting them, grouped by the "
                "predecessor council that brought each, with their TIME decisions. Select a box to open its page.",
            )
        ),
        _architects(ctx, Kind.CAPABILITY, id_),
    )


# --- vendors and organisation units --------------------------------------------


def vendor_page(ctx: SiteContext, id_: str) -> str:
    vendor: Vendor = ctx.catalog.vendors[id_]
    doc = ctx.doc(Kind.VENDOR, id_)
    source = ctx.catalog.source(Kind.VENDOR, id_).path
    crp = {True: "Yes: publishes a Carbon Reduction Plan", False: "No Carbon Reduction Plan", None: ""}
    supplied = [e.source for e in ctx.catalog.incoming(Kind.VENDOR, id_, "supplies")]
    cost = sum(ctx.catalog.applications[a].annual_cost or 0 for a in supplied)
    rows = [
        ("Website", external_link(vendor.website) if vendor.website else ""),
        ("Carbon reduction plan", esc(crp[vendor.carbon_reduction_plan])),
        ("Net zero target", esc(str(vendor.net_zero_target)) if vendor.net_zero_target else ""),
        ("Applications supplied", esc(str(len(supplied)))),
        ("Annual cost of those", esc(f"{money(cost)} a year") if cost else ""),
    ]
    return page(
        meta(vendor.name, vendor.tags),
        head(
            ctx,
            KIND_LABELS[Kind.VENDOR],
            vendor.name,
            source=source,
            extra=f'<p class="ea-summary">Also known as {esc(", ".join(vendor.aliases))}.</p>' if vendor.aliases else "",
        ),
        "\n## Key facts\n",
        block(fields(rows)),
        _description(ctx, Kind.VENDOR, id_, doc),
        "\n## Relations\n",
        block(relations(ctx, Kind.VENDOR, id_, doc)),
        _architects(ctx, Kind.VENDOR, id_),
    )


def organisation_page(ctx: SiteContext, id_: str) -> str:
    org: Organisation = ctx.catalog.organisations[id_]
    doc = ctx.doc(Kind.ORGANISATION, id_)
    source = ctx.catalog.source(Kind.ORGANISATION, id_).path
    rows = [
        ("Type", esc(ORG_TYPE_LABELS[org.type])),
        ("Part of", ctx.link(doc, Kind.ORGANISATION, org.parent) if org.parent else ""),
        ("Contact", contact_link(org.contact) if org.contact else ""),
    ]
    return page(
        meta(org.name),
        head(ctx, KIND_LABELS[Kind.ORGANISATION], org.name, source=source),
        "\n## Key facts\n",
        block(fields(rows)),
        _description(ctx, Kind.ORGANISATION, id_, doc),
        "\n## Relations\n",
        block(relations(ctx, Kind.ORGANISATION, id_, doc)),
        _architects(ctx, Kind.ORGANISATION, id_),
    )


def _lgsl(ctx: SiteContext, codes: list[int]) -> str:
    """Each code with its service label from the LGA's list when the build was
    given one (``--lgsl`` or ``ea.yml``); codes alone otherwise."""
    if not codes:
        return ""
    if not ctx.lgsl:
        return esc(", ".join(str(c) for c in codes))
    items = []
    for code in codes:
        service = ctx.lgsl.get(code)
        label = esc(service.label) if service else "<em>not in the service list</em>"
        items.append(f"<li>{esc(str(code))}: {label}</li>")
    return '<ul class="ea-lgsl">' + "".join(items) + "</ul>"
