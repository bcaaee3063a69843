"""The content model (``docs/content-model.md``) as pydantic models.

Models are strict: a text field refuses a number or boolean, so YAML 1.1
surprises (``NO`` read as false, ``1.10`` read as 1.1) are reported instead of
slipping through as the text 'False' or '1.1'. Unknown fields are refused
(``extra="forbid"``) so a typo never silently drops a value.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: Names Windows reserves for devices, with any extension: a file called
#: ``con.md`` cannot be checked out there, nor its page ``con.html`` written.
WINDOWS_RESERVED = frozenset(["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)])
#: Ids that are not entities: ``index.md`` and ``README.md`` in a content
#: folder are notes about the folder, which the loader leaves out, so an
#: entity given one of these ids would disappear from the site and the checks.
NOTE_NAMES = frozenset({"index", "readme"})
#: Ids no entity may have (the slug rule appends ``-1``).
RESERVED_IDS = WINDOWS_RESERVED | NOTE_NAMES


def valid_id(text: str) -> bool:
    """An id every system the repository travels to can use as a file name."""
    return bool(ID_PATTERN.match(text)) and text not in RESERVED_IDS


def reserved_reason(text: str) -> str | None:
    """Why a well-formed id is reserved, or None."""
    if text in WINDOWS_RESERVED:
        return f"'{text}' is a device name on Windows: the file could not be checked out there"
    if text in NOTE_NAMES:
        return f"'{text}' is reserved: a file {text}.md in a content folder is a note about the folder, not an entity"
    return None


class Kind(StrEnum):
    CAPABILITY = "capability"
    APPLICATION = "application"
    VENDOR = "vendor"
    ORGANISATION = "organisation"
    SCHEME = "scheme"
    PRIORITY = "priority"
    PRINCIPLE = "principle"
    PROPOSAL = "proposal"
    DECISION = "decision"
    MILESTONE = "milestone"

    # Enum's own __hash__ is a Python function; kinds key hot dictionaries.
    __hash__ = str.__hash__

    @property
    def folder(self) -> str:
        return FOLDERS[self]

    @property
    def plural(self) -> str:
        return PLURALS[self]


FOLDERS = {
    Kind.CAPABILITY: "capabilities",
    Kind.APPLICATION: "applications",
    Kind.VENDOR: "architecture/vendors",
    Kind.ORGANISATION: "architecture/organisations",
    Kind.SCHEME: "architecture/sustainability.md",
    Kind.PRIORITY: "architecture/priorities",
    Kind.PRINCIPLE: "architecture/principles",
    Kind.PROPOSAL: "proposals",
    Kind.DECISION: "architecture/decisions",
    Kind.MILESTONE: "architecture/milestones",
}
PLURALS = {
    Kind.CAPABILITY: "capabilities",
    Kind.APPLICATION: "applications",
    Kind.VENDOR: "vendors",
    Kind.ORGANISATION: "organisation units",
    Kind.SCHEME: "sustainability scheme",
    Kind.PRIORITY: "priorities",
    Kind.PRINCIPLE: "principles",
    Kind.PROPOSAL: "proposals",
    Kind.DECISION: "decisions",
    Kind.MILESTONE: "milestones",
}
#: The kinds that describe the estate as it is.
ESTATE_KINDS = (Kind.CAPABILITY, Kind.APPLICATION, Kind.VENDOR, Kind.ORGANISATION)
#: The kinds that govern change to it (``docs/governance.md``).
GOVERNANCE_KINDS = (Kind.PRIORITY, Kind.PRINCIPLE, Kind.PROPOSAL, Kind.DECISION)
#: The kinds that date the plan for it (``docs/reports.md``, the roadmap).
PLAN_KINDS = (Kind.MILESTONE,)
ENTITY_KINDS = ESTATE_KINDS + GOVERNANCE_KINDS + PLAN_KINDS


#: The dates content may hold. Reports move dates by months and years (notice
#: periods, horizons); outside this range that arithmetic leaves what a date
#: can be, and no council record is dated before 1900 or after 2199.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)
#: Upper bounds of numbers, far above any real value and far below what
#: sums, products and date arithmetic can overflow on.
MAX_MONEY = 1_000_000_000  # GBP a year for one application
MAX_USERS = 100_000_000
MAX_MONTHS = 120  # a notice period or an assessment's age: ten years
MAX_POINTS = 1_000  # points or weight of one criterion
MAX_FACT = 1e15  # a numeric sustainability fact or threshold


def _date(value: Any) -> Any:
    """Accept a quoted ISO date as well as YAML's own date; refuse a datetime
    with a time, and never read a bare number as a Unix timestamp."""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_format", "expected a date written as YYYY-MM-DD") from None
    return value


def _date_in_range(value: date) -> date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise PydanticCustomError(
            "date_range",
            "must be a date from {first} to {last}",
            {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
        )
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("not_finite", "must be a finite number")
    return value


def _web_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PydanticCustomError("url_scheme", "must be an http:// or https:// address with a host")
    return value.strip()


_MAILBOX = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _contact(value: str) -> str:
    """A team mailbox (an email address) or a channel (a web address): how
    staff reach the unit that owns a system, never a person's name."""
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if _MAILBOX.match(text):
        return text
    try:
        return _web_url(text)
    except PydanticCustomError:
        raise PydanticCustomError(
            "contact", "must be a team mailbox (name@example.gov.uk) or a channel's http:// or https:// address"
        ) from None


Text = Annotated[str, AfterValidator(_not_blank)]
Ref = Annotated[str, AfterValidator(_not_blank)]
Date = Annotated[date, BeforeValidator(_date), AfterValidator(_date_in_range)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY), AfterValidator(_finite)]
Count = Annotated[int, Field(ge=0)]
Months = Annotated[int, Field(ge=0, le=MAX_MONTHS)]
#: Points and weights: finite (``.inf`` and ``.nan`` are YAML floats) and bounded.
Points = Annotated[float, Field(ge=0, le=MAX_POINTS, allow_inf_nan=False)]
Year = Annotated[int, Field(ge=1990, le=2100)]

Lifecycle = Literal["proposed", "active", "phase-out", "retired"]
Disposition = Literal["tolerate", "invest", "migrate", "eliminate"]
Hosting = Literal["on-premises", "private-cloud", "iaas", "paas", "saas"]
OrgType = Literal["council", "directorate", "service", "team", "partner"]
PrincipleStatus = Literal["draft", "agreed", "retired"]
ProposalStatus = Literal[
    "submitted", "triage", "assessment", "approved", "rejected", "deferred", "withdrawn", "delivered"
]
Verdict = Literal["yes", "partly", "no"]
DecisionStatus = Literal["proposed", "accepted", "rejected", "deprecated", "superseded"]

LIFECYCLES: tuple[str, ...] = Lifecycle.__args__  # type: ignore[attr-defined]
DISPOSITIONS: tuple[str, ...] = Disposition.__args__  # type: ignore[attr-defined]
HOSTINGS: tuple[str, ...] = Hosting.__args__  # type: ignore[attr-defined]
ORG_TYPES: tuple[str, ...] = OrgType.__args__  # type: ignore[attr-defined]
PRINCIPLE_STATUSES: tuple[str, ...] = PrincipleStatus.__args__  # type: ignore[attr-defined]
PROPOSAL_STATUSES: tuple[str, ...] = ProposalStatus.__args__  # type: ignore[attr-defined]
VERDICTS: tuple[str, ...] = Verdict.__args__  # type: ignore[attr-defined]
DECISION_STATUSES: tuple[str, ...] = DecisionStatus.__args__  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Entity(Strict):
    """Fields every kind shares. ``id`` is the file's stem; the frontmatter may
    repeat it, and then it must match."""

    id: str = Field(default="", description="The file's stem; optional in the file, and then equal to it.")
    name: Text = Field(description="Display name.")


class Capability(Entity):
    parent: Ref | None = Field(default=None, description="Parent capability id (no cycles).")
    owner: Ref | None = Field(default=None, description="Accountable organisation unit id.")
    description: str | None = Field(default=None, description="One-line summary; the body holds the rest.")
    lgsl: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list, description="Local Government Service List codes this capability delivers."
    )
    tags: list[Text] = Field(default_factory=list, description="Free tags.")


class Dependency(Strict):
    app: Ref = Field(description="Application id this system reads from or calls.")
    data: Text | None = Field(default=None, description="The data that flows.")


class Contract(Strict):
    end: Date | None = Field(default=None, description="Date the current contract ends.")
    notice_months: Months | None = Field(default=None, description="Notice period in months (at most 120).")
    reference: Text | None = Field(default=None, description="Contract reference.")


Quantity = Annotated[float, Field(ge=0), AfterValidator(_finite)]


class SustainabilityFacts(BaseModel):
    """Facts the scheme asks for. Which keys exist is decided by the scheme in
    ``architecture/sustainability.md``, so they are checked against it after
    loading rather than fixed here. The carbon facts are fixed: the carbon
    method (``generator.models.carbon``) reads them whatever the scheme scores."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    assessed: Date | None = Field(default=None, description="Date of the assessment.")
    reported_kgco2e: Quantity | None = Field(
        default=None, description="A year's emissions (kgCO2e) reported by the supplier or a cloud emissions dashboard."
    )
    energy_kwh: Quantity | None = Field(default=None, description="A year's measured IT energy in kWh, before PUE.")
    servers: Quantity | None = Field(
        default=None, description="Physical servers (or whole-server equivalents) the system runs on."
    )
    average_watts: Quantity | None = Field(
        default=None, description="Average draw of one of its servers in watts (else the scheme's server_watts)."
    )

    def facts(self) -> dict[str, Any]:
        return dict(self.__pydantic_extra__ or {})


class Dates(Strict):
    """When an application went or goes live, starts being phased out and is
    switched off: a past date is a fact, a future one a plan."""

    live: Date | None = Field(default=None, description="Date it went or goes live.")
    phase_out: Date | None = Field(default=None, description="Date it starts being phased out.")
    retire: Date | None = Field(default=None, description="Date it is switched off.")


class Application(Entity):
    aliases: list[Text] = Field(default_factory=list, description="Other names staff use.")
    vendor: Ref | None = Field(default=None, description="Supplier (vendor id); absent for in-house systems.")
    product: Text | None = Field(default=None, description="The vendor's product name.")
    capabilities: list[Ref] = Field(min_length=1, description="Capability ids the system supports.")
    owner: Ref = Field(description="Business owner (organisation unit id).")
    origin: Ref | None = Field(default=None, description="Predecessor council that brought this instance.")
    lifecycle: Lifecycle
    disposition: Disposition | None = Field(default=None, description="The TIME decision.")
    replaced_by: Ref | None = Field(default=None, description="Successor application id.")
    hosting: Hosting
    depends_on: list[Dependency] = Field(
        default_factory=list, description="Integrations: application ids, or {app, data} mappings."
    )
    users: Annotated[int, Field(ge=0, le=MAX_USERS)] | None = Field(
        default=None, description="Approximate number of staff users."
    )
    annual_cost: Money | None = Field(default=None, description="Licence, support and hosting per year, GBP.")
    migration_cost: Money | None = Field(
        default=None, description="One-off cost of moving off this system (data migration, parallel running), GBP."
    )
    contract: Contract | None = None
    dates: Dates | None = Field(default=None, description="live, phase_out and retire dates (the plan).")
    sustainability: SustainabilityFacts | None = None
    distinct_from: list[Ref] = Field(
        default_factory=list,
        description="Applications acknowledged as different systems despite similar names or the same product "
        "and origin.",
    )
    complements: list[Ref] = Field(
        default_factory=list,
        description="Applications this one works alongside on the capabilities both support, rather than "
        "duplicating: the pair is not an overlap.",
    )
    tags: list[Text] = Field(default_factory=list, description="Free tags.")

    @field_validator("depends_on", mode="before")
    @classmethod
    def _plain_ids(cls, value: Any) -> Any:
        """``depends_on: [a, b]`` is shorthand for ``[{app: a}, {app: b}]``."""
        if isinstance(value, list):
            return [{"app": v} if isinstance(v, str) else v for v in value]
        return value


class Vendor(Entity):
    aliases: list[Text] = Field(
        default_factory=list, description="Other names the supplier trades or invoices under (former names too)."
    )
    website: Annotated[str, AfterValidator(_web_url)] | None = Field(default=None, description="http or https address.")
    carbon_reduction_plan: bool | None = Field(default=None, description="Publishes a Carbon Reduction Plan.")
    net_zero_target: Year | None = Field(default=None, description="Year of its committed net-zero target.")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")


class Organisation(Entity):
    type: OrgType
    parent: Ref | None = Field(default=None, description="Parent organisation unit id.")
    contact: Annotated[str, AfterValidator(_contact)] | None = Field(
        default=None,
        description="How staff reach the unit: a team mailbox (email address) or a channel (http or https "
        "address); a team's, never a person's.",
    )


# --- governance: priorities, principles, proposals, decisions -------------------

WebUrl = Annotated[str, AfterValidator(_web_url)]


class Priority(Entity):
    """A corporate priority or outcome from the council plan."""

    parent: Ref | None = Field(default=None, description="The theme (priority id) above this outcome; no cycles.")
    owner: Ref | None = Field(default=None, description="Accountable directorate or service (organisation unit id).")
    source: WebUrl | None = Field(default=None, description="The corporate plan it comes from (http or https).")
    from_: Date | None = Field(default=None, alias="from", description="Start of the plan period.")
    until: Date | None = Field(default=None, description="End of the plan period.")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")

    @field_validator("until")
    @classmethod
    def _after_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError(
                "period_order", "the plan period ends before it starts ('from' is {start})", {"start": str(start)}
            )
        return value


class Principle(Entity):
    """An architecture principle proposals are assessed against."""

    statement: Text = Field(description="The principle in one sentence.")
    rationale: str | None = Field(default=None, description="Why the council holds it.")
    implications: list[Text] = Field(default_factory=list, description="What it means for a proposal.")
    status: PrincipleStatus = Field(description="Only agreed principles are assessed.")
    source: WebUrl | None = Field(default=None, description="Where it comes from (http or https).")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")


def _verdict(value: Any) -> Any:
    """``meets: yes`` / ``no`` unquoted are booleans in YAML 1.1: read them as
    the words the architect wrote."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class PrincipleAssessment(Strict):
    """How a proposal measures up to one principle."""

    meets: Annotated[Verdict, BeforeValidator(_verdict)] = Field(description="yes, partly or no.")
    note: Text | None = Field(default=None, description="Why, in a sentence.")


#: The facts of an option that describe a new solution (not allowed beside ``application``).
NEW_SOLUTION_FACTS = ("vendor", "product", "hosting", "sustainability")


class Option(Strict):
    """One solution considered: reuse of an application the council already
    runs (``application``) or a new one (vendor, product, hosting, facts)."""

    name: Text = Field(description="What the option is, e.g. 'Extend GOV.UK Notify'.")
    application: Ref | None = Field(default=None, description="Application id to reuse or extend.")
    vendor: Ref | None = Field(default=None, description="Supplier of a new solution (vendor id).")
    product: Text | None = Field(default=None, description="The vendor's product, for a new solution.")
    hosting: Hosting | None = Field(default=None, description="Where a new solution would run.")
    annual_cost: Money | None = Field(default=None, description="Extra cost per year, GBP.")
    one_off_cost: Money | None = Field(default=None, description="Cost to implement, GBP.")
    sustainability: SustainabilityFacts | None = Field(
        default=None, description="The facts the sustainability scheme rates, for a new solution."
    )
    recommended: bool = Field(default=False, description="The option officers recommend (at most one).")
    note: str | None = Field(default=None, description="A sentence on the option.")

    @property
    def reuse(self) -> bool:
        return self.application is not None


class Proposal(Entity):
    """A request for IT change from a service area (the Entrance Hall)."""

    requested_by: Ref = Field(description="The service area asking (organisation unit id).")
    sponsor: Text | None = Field(default=None, description="Sponsoring role, e.g. 'Head of Housing'.")
    submitted: Date = Field(description="When it entered the Entrance Hall.")
    status: ProposalStatus
    needed_by: Date | None = Field(default=None, description="When the service needs it.")
    priorities: list[Ref] = Field(default_factory=list, description="Corporate priority ids it serves.")
    capabilities: list[Ref] = Field(min_length=1, description="Capability ids it supports.")
    meeting: Date | None = Field(default=None, description="The Digital Group meeting that takes it.")
    options: list[Option] = Field(default_factory=list, description="The solutions considered.")
    principles: dict[Ref, PrincipleAssessment] = Field(
        default_factory=dict, description="Principle id -> {meets: yes/partly/no, note}."
    )
    decision: Ref | None = Field(default=None, description="The decision record (decision id).")
    delivers: list[Ref] = Field(default_factory=list, description="Application ids it brought in or changed.")
    one_off_cost: Money | None = Field(default=None, description="Whole-project estimate, GBP.")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")

    @field_validator("principles", mode="before")
    @classmethod
    def _bare_verdicts(cls, value: Any) -> Any:
        """``cloud-first: yes`` is shorthand for ``cloud-first: {meets: yes}``."""
        if isinstance(value, dict):
            return {k: ({"meets": v} if isinstance(v, str | bool) else v) for k, v in value.items()}
        return value


class Decision(Entity):
    """One decision of the Digital Group or the design authority (MADR-style)."""

    status: DecisionStatus
    date: Date = Field(description="When it was taken (or proposed).")
    deciders: Text | None = Field(default=None, description="The forum or role, e.g. 'Digital Group'.")
    supersedes: list[Ref] = Field(default_factory=list, description="Decision ids this one replaces.")
    proposals: list[Ref] = Field(default_factory=list, description="Proposal ids it decides.")
    applications: list[Ref] = Field(default_factory=list, description="Application ids it is about.")
    capabilities: list[Ref] = Field(default_factory=list, description="Capability ids it is about.")
    principles: list[Ref] = Field(default_factory=list, description="Principle ids it applied.")
    priorities: list[Ref] = Field(default_factory=list, description="Priority ids it serves.")
    review_by: Date | None = Field(default=None, description="When it must be looked at again.")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")


class Milestone(Entity):
    """A dated point the plan must meet (``architecture/milestones/``)."""

    date: Date = Field(description="When the milestone falls.")
    closes_data_centre: bool | None = Field(
        default=None,
        description="From this date no running application may be on-premises or in the council's own data centre.",
    )
    retired: list[Ref] = Field(default_factory=list, description="Applications that must be retired by this date.")
    live: list[Ref] = Field(default_factory=list, description="Applications that must be live by this date.")
    tags: list[Text] = Field(default_factory=list, description="Free tags.")


# --- the sustainability scheme -------------------------------------------------

#: Facts a criterion may read, besides ``sustainability.<name>``.
APPLICATION_FACTS = ("hosting", "lifecycle", "users", "annual_cost")
VENDOR_FACTS = ("vendor.carbon_reduction_plan", "vendor.net_zero_target")
FACT_PATTERN = re.compile(r"^sustainability\.[a-z][a-z0-9_]*$")


class Threshold(Strict):
    value: Annotated[float, Field(ge=-MAX_FACT, le=MAX_FACT, allow_inf_nan=False)] = Field(
        description="Upper bound: a fact at most this value earns the points."
    )
    points: Points


class Criterion(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN.pattern)]
    name: Text
    description: str | None = None
    fact: str = Field(
        description="What is scored: an application field (hosting, ...), sustainability.<fact> "
        "or vendor.carbon_reduction_plan / vendor.net_zero_target."
    )
    weight: Annotated[float, Field(gt=0, le=MAX_POINTS, allow_inf_nan=False)] = 1
    points: dict[str, Points] = Field(
        default_factory=dict, description="Points per allowed value of the fact."
    )
    at_most: list[Threshold] = Field(
        default_factory=list, description="For numeric facts: the first bound the value is at most wins."
    )
    otherwise: Points = Field(
        default=0, description="Points when the fact is missing or matches nothing."
    )

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str) -> str:
        if value in APPLICATION_FACTS or value in VENDOR_FACTS or FACT_PATTERN.match(value):
            return value
        raise PydanticCustomError(
            "fact_path",
            "must be one of {allowed} or sustainability.<fact>",
            {"allowed": ", ".join(APPLICATION_FACTS + VENDOR_FACTS)},
        )

    @model_validator(mode="after")
    def _one_rule(self) -> Criterion:
        if bool(self.points) == bool(self.at_most):
            raise PydanticCustomError("criterion_rule", "give either 'points' or 'at_most', not both or neither")
        return self

    @property
    def max_points(self) -> float:
        values = list(self.points.values()) + [t.points for t in self.at_most] + [self.otherwise]
        return max(values)

    @property
    def sustainability_key(self) -> str | None:
        return self.fact.split(".", 1)[1] if self.fact.startswith("sustainability.") else None


class Band(Strict):
    rating: Text
    min_score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    meaning: str | None = None


#: The factors a ``carbon:`` block must give (each checked by EA231, not by
#: the model, so that one bad factor leaves the ratings standing).
CARBON_FACTORS = ("grid_kgco2e_per_kwh", "grid_source", "pue", "server_watts")


class Scheme(Strict):
    name: Text
    max_age_months: Annotated[int, Field(gt=0, le=MAX_MONTHS)] = 24
    criteria: list[Criterion] = Field(min_length=1)
    bands: list[Band] = Field(min_length=1)
    carbon: dict[str, Any] | None = Field(
        default=None,
        description="Carbon factors: grid_kgco2e_per_kwh, grid_source, pue (by hosting) and server_watts.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        ids = [c.id for c in self.criteria]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("criterion_ids", "criterion ids must be unique")
        if min(b.min_score for b in self.bands) != 0:
            raise PydanticCustomError("bands_floor", "the lowest band must start at min_score 0")
        if len({b.rating for b in self.bands}) != len(self.bands):
            raise PydanticCustomError("band_ratings", "band ratings must be unique")
        return self

    def band_for(self, score: float) -> Band:
        return max((b for b in self.bands if score >= b.min_score), key=lambda b: b.min_score)

    def facts(self) -> dict[str, Criterion]:
        """The ``sustainability.<name>`` keys this scheme reads, by name."""
        return {c.sustainability_key: c for c in self.criteria if c.sustainability_key}


MODELS: dict[Kind, type[BaseModel]] = {
    Kind.CAPABILITY: Capability,
    Kind.APPLICATION: Application,
    Kind.VENDOR: Vendor,
    Kind.ORGANISATION: Organisation,
    Kind.SCHEME: Scheme,
    Kind.PRIORITY: Priority,
    Kind.PRINCIPLE: Principle,
    Kind.PROPOSAL: Proposal,
    Kind.DECISION: Decision,
    Kind.MILESTONE: Milestone,
}

__all__ = [
    "MODELS",
    "Application",
    "Capability",
    "Contract",
    "Dates",
    "Decision",
    "Dependency",
    "Kind",
    "Milestone",
    "Option",
    "Organisation",
    "Principle",
    "PrincipleAssessment",
    "Priority",
    "Proposal",
    "Scheme",
    "SustainabilityFacts",
    "ValidationError",
    "Vendor",
]
