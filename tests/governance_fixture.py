"""A small, hand-checked governance layer on top of the minimal repository,
for the pack, the governance pages and the browser test.

The Digital Group meets on 10 March 2027 (``MEETING``) and next on 9 June
2027 (named by a later request). ``TODAY`` is 1 March 2027. What each part
of the papers must hold, worked out by hand from these files:

- requests for the meeting: the repairs portal (arrived 5 January) and the
  planning chat (arrived 15 February), in that order;
- decisions to review before 9 June: 0001 (review 1 May, accepted); not 0002
  (review 1 July, after the next meeting) nor 0003 (superseded);
- contracts with a notice date from 10 March to 10 June 2027: Uniform (ends
  30 September 2027, 6 months' notice: 30 March 2027) and the scanner
  (ends 10 June 2027, no notice period recorded: 10 June, the last day of the
  window); not the CRM (notice 30 September) nor the retired system;
- requests past their "needed by" date at the meeting: the repairs portal
  (1 February) then the later request (25 February);
- pipeline on 1 March: submitted 1, being triaged 1, being assessed 1,
  delivered 1; open requests waited 55, 14 and 9 days: median 14 days.
"""

from __future__ import annotations

from datetime import date

from conftest import app

MEETING = date(2027, 3, 10)
NEXT_MEETING = date(2027, 6, 9)
TODAY = date(2027, 3, 1)
EVIL = "Chat <script>alert(1)</script> | *fast* @team"

HOUSING = """\
---
name: Housing Services
type: service
---
"""

PRIORITY = """\
---
name: Net zero council by 2030
owner: planning
source: https://www.example.gov.uk/council-plan
---
The council's own operations are net zero by 2030.
"""

PRINCIPLE = """\
---
name: Reuse before buy
statement: We use what the council already runs before we buy anything new.
rationale: Every new system adds cost, support and carbon.
implications:
  - A request names the systems it could reuse.
status: agreed
---
"""

REPAIRS = """\
---
name: Housing repairs portal
requested_by: housing
sponsor: Head of Housing Services
submitted: 2027-01-05
status: assessment
needed_by: 2027-02-01
priorities: [net-zero]
capabilities: [planning-applications]
meeting: 2027-03-10
one_off_cost: 45000
options:
  - name: Extend Uniform
    application: uniform
  - name: Buy a repairs portal
    vendor: idox
    product: Repairs Online
    hosting: saas
    annual_cost: 12000
    one_off_cost: 30000
    recommended: true
    sustainability:
      energy: renewable
      assessed: 2027-01-20
principles:
  reuse-first:
    meets: partly
    note: Uniform covers half of what is asked.
---
Tenants report repairs online and follow them to completion.
"""

CHAT = f"""\
---
name: "{EVIL}"
requested_by: planning
submitted: 2027-02-15
status: triage
needed_by: 2027-09-30
priorities: [net-zero]
capabilities: [planning-applications]
meeting: 2027-03-10
---
Answer planning questions <b>out of hours</b>.
"""

LATER = """\
---
name: Street lighting sensors
requested_by: planning
submitted: 2027-02-20
status: submitted
needed_by: 2027-02-25
priorities: [net-zero]
capabilities: [planning-applications]
meeting: 2027-06-09
---
"""

DONE = """\
---
name: Planning register online
requested_by: planning
submitted: 2026-06-01
status: delivered
priorities: [net-zero]
capabilities: [planning-applications]
decision: 0001-uniform-stays
delivers: [uniform]
principles:
  reuse-first:
    meets: "yes"
---
"""

DECISION_1 = """\
---
name: Uniform stays the planning system
status: accepted
date: 2026-09-01
deciders: Digital Group
applications: [uniform]
capabilities: [planning-applications]
principles: [reuse-first]
priorities: [net-zero]
review_by: 2027-05-01
---
## Context

Planning needs one system.

## Decision

Keep Uniform.

## Consequences

No new procurement.
"""

DECISION_2 = """\
---
name: One revenues system
status: accepted
date: 2026-10-01
deciders: Digital Group
supersedes: [0003-two-revenues-systems]
review_by: 2027-07-01
---
## Context

Two systems after the merger.
"""

DECISION_3 = """\
---
name: Two revenues systems for now
status: superseded
date: 2026-04-01
deciders: Digital Group
review_by: 2027-04-01
---
"""


def governance_files() -> dict[str, str]:
    contract = "vendor: idox\nproduct: Uniform\ncontract:\n  end: 2027-09-30\n  notice_months: 6\n"
    return {
        "architecture/organisations/housing.md": HOUSING,
        "architecture/priorities/net-zero.md": PRIORITY,
        "architecture/principles/reuse-first.md": PRINCIPLE,
        "proposals/2027-001-repairs-portal.md": REPAIRS,
        "proposals/2027-002-planning-chat.md": CHAT,
        "proposals/2027-003-street-lighting.md": LATER,
        "proposals/2026-010-planning-register.md": DONE,
        "architecture/decisions/0001-uniform-stays.md": DECISION_1,
        "architecture/decisions/0002-one-revenues-system.md": DECISION_2,
        "architecture/decisions/0003-two-revenues-systems.md": DECISION_3,
        "applications/uniform.md": app(extra=contract),
        "applications/crm.md": app(
            "Customer records", extra="contract:\n  end: 2027-12-31\n  notice_months: 3\n", assessed=None
        ),
        "applications/scanner.md": app("Document scanner", extra="contract:\n  end: 2027-06-10\n"),
        "applications/old-scanner.md": app(
            "Old scanner", lifecycle="retired", extra="contract:\n  end: 2027-04-30\n", assessed=None
        ),
    }
