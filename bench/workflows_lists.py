"""Bench of the espace agents at scale: bulk-seed N recruitment processes, then time the task lists, a dossier page
and a decision POST (median / p95 over repeated requests, with their SQL query counts).

Run it against a THROW-AWAY database (it migrates it and fills it):

    createdb -h 127.0.0.1 -U postgres cnum_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_bench
    .venv/bin/python bench/workflows_lists.py --processes 100000
    dropdb -h 127.0.0.1 -U postgres cnum_bench

    DATABASE_URL=sqlite:////tmp/cnum_bench.sqlite3 .venv/bin/python bench/workflows_lists.py --processes 100000

Seeded data (bulk inserts, realistic proportions) over the departments of three regions: every flow of the espace
agents — 35 % structure applications, 25 % recruitments, and the programme's life after recruitment (issue 13):
12 % avenants, 8 % transfers of posts, 8 % reconventionnements, 7 % contract changes, 5 % coordinator posts (each
bench structure has a convention, an advisor and her contract). Each process has its Viewflow start task, its human
tasks (done ones and the open one), its open-task index row, and about 6 % of processes are still waiting (5 % in
"À traiter", 1 % taken by an agent). The decision POST is timed on real processes started through the services
(timers, locks and all).
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402
from viewflow.workflow.status import PROCESS, STATUS  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from bench.workflows_common import log, out, persona  # noqa: E402
from directory.demo import demo_siret  # noqa: E402
from directory.enums import ContractType, ConventionEventKind, StructureType  # noqa: E402
from directory.models import Advisor, Contract, Convention, ConventionEvent, Hub, Structure  # noqa: E402
from territories.models import Commune, Department  # noqa: E402
from workflows import services  # noqa: E402
from workflows.enums import (  # noqa: E402
    CandidateStatus,
    ContractChangeType,
    CoordinationType,
    Kind,
    PostRequestType,
    RecruitmentStatus,
    RequestStatus,
    Step,
    StructureApplicationStatus,
)
from workflows.flows import FLOWS, RecruitmentFlow, StructureApplicationFlow  # noqa: E402
from workflows.models import (  # noqa: E402
    AdvisorApplication,
    ContractChange,
    CoordinatorRequest,
    DossierLabel,
    Label,
    PostRequest,
    PostTransfer,
    Recruitment,
    RenewalRequest,
    SavedView,
    StructureApplication,
    WorkItem,
)
from workflows.steps import STEPS  # noqa: E402

REGIONS = ["11", "93", "84"]
# Share of each flow in the seeded processes (per thousand) and the step its open task waits at.
MIX = [
    (Kind.STRUCTURE, 350, Step.STRUCTURE_PREFECTURE),
    (Kind.RECRUITMENT, 250, Step.RECRUITMENT_PREFECTURE),
    (Kind.POST_REQUEST, 120, Step.POST_REQUEST_PREFECTURE),
    (Kind.TRANSFER, 80, Step.TRANSFER_PREFECTURE),
    (Kind.RENEWAL, 80, Step.RENEWAL_PREFECTURE),
    (Kind.CONTRACT_CHANGE, 70, Step.CONTRACT_CHANGE_VALIDATION),
    (Kind.COORDINATOR, 50, Step.COORDINATOR_PREFECTURE),
]
OPEN_STEP = {kind: step for kind, _, step in MIX}
BATCH = 5000
OPINIONS = ["", "", "favorable", "defavorable"]


def seed(processes: int, rng: random.Random) -> None:
    started = time.monotonic()
    communes = list(
        Commune.objects.filter(department__region_id__in=REGIONS).order_by("-population")[:400].select_related()
    )
    now = timezone.now()
    structures = [
        Structure(
            siret=demo_siret(3_000_000 + index),
            name=f"Structure bench {index}",
            type=StructureType.COMMUNE,
            status="validee",
            commune=(commune := communes[index % len(communes)]),
            department_id=commune.department_id,
            latitude=commune.latitude,
            longitude=commune.longitude,
            posts_granted=5,
        )
        for index in range(2000)
    ]
    Structure.objects.bulk_create(structures, batch_size=BATCH)
    structures = list(Structure.objects.filter(name__startswith="Structure bench").only("pk", "department_id"))
    agents = [
        persona(f"agent{i}@bench.test", Role.PREFECTURE, department=Department.objects.get(pk="75")) for i in range(5)
    ]
    structure_type = ContentType.objects.get_for_model(StructureApplication)
    recruitment_type = ContentType.objects.get_for_model(Recruitment)
    shares = {kind: processes * share // 1000 for kind, share, _ in MIX}
    shares[Kind.STRUCTURE] += processes - sum(shares.values())
    n_structure, n_recruitment = shares[Kind.STRUCTURE], shares[Kind.RECRUITMENT]

    # Structure applications and their processes.
    applications = []
    for index in range(n_structure):
        commune = communes[rng.randrange(len(communes))]
        waiting = rng.random() < 0.06
        applications.append(
            StructureApplication(
                siret=demo_siret(4_000_000 + index),
                name=f"Candidature bench {index}",
                type=StructureType.PRIVATE,
                address="1 rue du Banc d'essai",
                commune=commune,
                department_id=commune.department_id,
                contact_first_name="Bench",
                contact_last_name="Contact",
                contact_function="Directeur",
                contact_email=f"contact{index}@bench.test",
                contact_phone="0102030405",
                advisors_wanted=2,
                start_date=now.date(),
                motivation="Bench",
                engagement=True,
                status=StructureApplicationStatus.PREFECTURE_REVIEW if waiting else StructureApplicationStatus.REFUSED,
                created_at=now - timedelta(days=rng.randrange(700)),
            )
        )
    StructureApplication.objects.bulk_create(applications, batch_size=BATCH)
    log(f"  {n_structure} structure applications in {time.monotonic() - started:.0f} s")

    candidates = [
        AdvisorApplication(
            first_name="Candidat",
            last_name=f"Bench{index}",
            email=f"candidat{index}@bench.test",
            commune=(commune := communes[rng.randrange(len(communes))]),
            department_id=commune.department_id,
            latitude=commune.latitude,
            longitude=commune.longitude,
            is_job_seeker=True,
            available_from=now.date(),
            max_distance_km=20,
            motivation="Bench",
            status=CandidateStatus.AVAILABLE,
        )
        for index in range(n_recruitment)
    ]
    AdvisorApplication.objects.bulk_create(candidates, batch_size=BATCH)
    recruitments = []
    for candidate in candidates:
        structure = structures[rng.randrange(len(structures))]
        waiting = rng.random() < 0.06
        recruitments.append(
            Recruitment(
                structure_id=structure.pk,
                candidate=candidate,
                department_id=structure.department_id,
                status=RecruitmentStatus.PREFECTURE_REVIEW if waiting else RecruitmentStatus.REFUSED,
                contract_type="cdi",
                salary=2000,
                created_at=now - timedelta(days=rng.randrange(700)),
            )
        )
    Recruitment.objects.bulk_create(recruitments, batch_size=BATCH)
    log(f"  {n_recruitment} candidates and recruitments in {time.monotonic() - started:.0f} s")

    # The programme's life after recruitment: conventions, advisors and contracts of the bench structures, then the
    # requests of each new flow.
    plans = [
        (
            StructureApplicationFlow,
            structure_type,
            a,
            Kind.STRUCTURE,
            a.name,
            a.status == StructureApplicationStatus.PREFECTURE_REVIEW,
        )
        for a in applications
    ]
    plans += [
        (
            RecruitmentFlow,
            recruitment_type,
            r,
            Kind.RECRUITMENT,
            f"Candidat {r.pk}",
            r.status == RecruitmentStatus.PREFECTURE_REVIEW,
        )
        for r in recruitments
    ]
    plans += seed_programme(structures, shares, rng, now)
    log(f"  programme requests in {time.monotonic() - started:.0f} s")

    # Processes, tasks and the open-task index.
    rng.shuffle(plans)
    for offset in range(0, len(plans), BATCH):
        chunk = plans[offset : offset + BATCH]
        with transaction.atomic():
            process_rows = [
                Process(
                    flow_class=flow_class,
                    status=PROCESS.NEW if waiting else PROCESS.DONE,
                    created=subject.created_at,
                    finished=None if waiting else subject.created_at + timedelta(days=20),
                    artifact_content_type=content_type,
                    artifact_object_id=subject.pk,
                )
                for flow_class, content_type, subject, _, _, waiting in chunk
            ]
            Process.objects.bulk_create(process_rows)
            tasks, items = [], []
            for process, (flow_class, _, subject, kind, title, waiting) in zip(process_rows, chunk, strict=True):
                step = OPEN_STEP[kind]
                humans = human_nodes(flow_class)
                first = node_for(flow_class, step)
                tasks.append(
                    Task(
                        process=process,
                        flow_task=flow_class.start,
                        flow_task_type="START",
                        status=STATUS.DONE,
                        created=process.created,
                        finished=process.created,
                    )
                )
                for extra, node in enumerate([] if waiting else humans[:2]):
                    tasks.append(
                        Task(
                            process=process,
                            flow_task=node,
                            flow_task_type="HUMAN",
                            status=STATUS.DONE,
                            created=process.created,
                            finished=process.created + timedelta(days=5 + extra),
                            owner=agents[extra],
                        )
                    )
                    tasks.append(
                        Task(
                            process=process,
                            flow_task=flow_class.timer_done,
                            flow_task_type="END",
                            status=STATUS.CANCELED,
                            created=process.created,
                            finished=process.created,
                        )
                    )
                if waiting:
                    owner = agents[rng.randrange(len(agents))] if rng.random() < 0.17 else None
                    open_task = Task(
                        process=process,
                        flow_task=first,
                        flow_task_type="HUMAN",
                        status=STATUS.ASSIGNED if owner else STATUS.NEW,
                        created=process.created,
                        owner=owner,
                        owner_permission=step_permission(step),
                    )
                    tasks.append(open_task)
                    items.append((open_task, process, subject, kind, step, title, owner))
            Task.objects.bulk_create(tasks)
            WorkItem.objects.bulk_create(
                [
                    WorkItem(
                        task=task,
                        process=process,
                        kind=kind,
                        subject_id=subject.pk,
                        step=step,
                        department_id=subject.department_id,
                        structure_id=getattr(subject, "structure_id", None),
                        title=title,
                        search_text=title.lower(),
                        owner=owner,
                        is_open=True,
                        created_at=process.created,
                        due_at=process.created + timedelta(days=15),
                        # The facets the lists filter and sort on (issue 14), spread like real dossiers.
                        prefecture_opinion=rng.choice(OPINIONS),
                        structure_type=rng.choice(StructureType.values),
                        posts_requested=rng.randint(1, 6),
                        paused_at=process.created + timedelta(days=3) if rng.random() < 0.05 else None,
                        applicant_activity_at=process.created + timedelta(days=2) if rng.random() < 0.1 else None,
                    )
                    for task, process, subject, kind, step, title, owner in items
                ]
            )
        if (offset // BATCH) % 4 == 0:
            log(f"  {offset + len(chunk)} processes in {time.monotonic() - started:.0f} s")
    log(f"Seeded in {time.monotonic() - started:.0f} s")


def human_nodes(flow_class) -> list:
    return [node for node in flow_class.instance.nodes() if hasattr(node, "work_step")]


def node_for(flow_class, step):
    """The human node of a step."""
    return next(node for node in human_nodes(flow_class) if node.work_step == step)


def step_permission(step) -> str:
    return STEPS[step].permission


def seed_programme(structures, shares, rng, now) -> list:
    """Conventions, advisors and contracts of the bench structures, then the requests of the new flows (bulk);
    returns their process plans."""
    today = now.date()
    conventions = Convention.objects.bulk_create(
        [
            Convention(
                structure_id=s.pk,
                number=f"BENCH-{s.pk}",
                start=today - timedelta(days=700),
                end=today + timedelta(days=30 + s.pk % 500),
            )
            for s in structures
        ],
        batch_size=BATCH,
    )
    ConventionEvent.objects.bulk_create(
        [
            ConventionEvent(convention=c, kind=ConventionEventKind.GRANT, delta=5, effective_on=c.start)
            for c in conventions
        ],
        batch_size=BATCH,
    )
    advisors = Advisor.objects.bulk_create(
        [Advisor(first_name="Conseiller", last_name=f"Bench{s.pk}", structure_id=s.pk) for s in structures],
        batch_size=BATCH,
    )
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                advisor=a,
                structure_id=a.structure_id,
                convention=c,
                contract_type=ContractType.CDD,
                start=today - timedelta(days=300),
                end=today + timedelta(days=10 + a.pk % 400),
                salary=2000,
            )
            for a, c in zip(advisors, conventions, strict=True)
        ],
        batch_size=BATCH,
    )
    by_structure = {c.structure_id: c for c in conventions}

    def created():
        return now - timedelta(days=rng.randrange(700))

    def pick():
        return structures[rng.randrange(len(structures))]

    def waiting():
        return rng.random() < 0.06

    rows = {}
    post_requests = []
    for _ in range(shares[Kind.POST_REQUEST]):
        s = pick()
        post_requests.append(
            PostRequest(
                structure_id=s.pk,
                department_id=s.department_id,
                convention=by_structure[s.pk],
                type=PostRequestType.ADD,
                posts_requested=1,
                posts_before=5,
                motivation="Bench",
                status=RequestStatus.PREFECTURE_REVIEW if waiting() else RequestStatus.REFUSED,
                created_at=created(),
            )
        )
    rows[Kind.POST_REQUEST] = (PostRequest, post_requests)
    transfers = []
    for _ in range(shares[Kind.TRANSFER]):
        giving, receiving = pick(), pick()
        if giving.pk == receiving.pk:
            receiving = structures[(structures.index(giving) + 1) % len(structures)]
        transfers.append(
            PostTransfer(
                structure_id=receiving.pk,
                department_id=receiving.department_id,
                from_structure_id=giving.pk,
                from_department_id=giving.department_id,
                posts=1,
                effective_on=today,
                ask_prefecture=True,
                motivation="Bench",
                status=RequestStatus.PREFECTURE_REVIEW if waiting() else RequestStatus.REFUSED,
                created_at=created(),
            )
        )
    rows[Kind.TRANSFER] = (PostTransfer, transfers)
    # A reconventionnement is one per convention: each one gets its own past convention.
    renewed = Convention.objects.bulk_create(
        [
            Convention(
                structure_id=(s := pick()).pk,
                number=f"BENCH-R-{index}",
                phase=2,
                start=today - timedelta(days=2000),
                end=today - timedelta(days=1000),
            )
            for index in range(shares[Kind.RENEWAL])
        ],
        batch_size=BATCH,
    )
    departments = {s.pk: s.department_id for s in structures}
    rows[Kind.RENEWAL] = (
        RenewalRequest,
        [
            RenewalRequest(
                structure_id=c.structure_id,
                department_id=departments[c.structure_id],
                convention=c,
                posts_requested=5,
                motivation="Bench",
                status=RequestStatus.PREFECTURE_REVIEW if waiting() else RequestStatus.REFUSED,
                created_at=created(),
            )
            for c in renewed
        ],
    )
    changes, open_contracts = [], iter(contracts)
    for index in range(shares[Kind.CONTRACT_CHANGE]):
        is_waiting = waiting()
        contract = next(open_contracts, None) if is_waiting else contracts[index % len(contracts)]
        if contract is None:  # one open change per contract: more waiting changes than contracts
            contract, is_waiting = contracts[index % len(contracts)], False
        changes.append(
            ContractChange(
                structure_id=contract.structure_id,
                department_id=departments[contract.structure_id],
                contract=contract,
                advisor_id=contract.advisor_id,
                type=ContractChangeType.PROLONGATION,
                new_end=contract.end + timedelta(days=365),
                motivation="Bench",
                status=RequestStatus.DECISION if is_waiting else RequestStatus.REFUSED,
                created_at=created(),
            )
        )
    rows[Kind.CONTRACT_CHANGE] = (ContractChange, changes)
    rows[Kind.COORDINATOR] = (
        CoordinatorRequest,
        [
            CoordinatorRequest(
                structure_id=(s := pick()).pk,
                department_id=s.department_id,
                coordination_type=CoordinationType.COORDINATION_ONLY,
                territory="Bench",
                motivation="Bench",
                status=RequestStatus.PREFECTURE_REVIEW if waiting() else RequestStatus.REFUSED,
                created_at=created(),
            )
            for _ in range(shares[Kind.COORDINATOR])
        ],
    )
    plans = []
    open_statuses = (RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION)
    for kind, (model, objects) in rows.items():
        # bulk_create skips save(): the departments are set above, as save() would route them.
        model.objects.bulk_create(objects, batch_size=BATCH)
        content_type = ContentType.objects.get_for_model(model)
        flow_class = FLOWS[kind]
        plans += [
            (flow_class, content_type, o, kind, f"{kind} bench {o.pk}", o.status in open_statuses) for o in objects
        ]
    return plans


def seed_labels(rng) -> dict:
    """Labels of the national team and of the Paris prefecture on about 10 % of the open dossiers (idempotent)."""
    labels = {}
    for team in ("national", "prefecture:75"):
        label, created = Label.objects.get_or_create(team=team, name="Bench à revoir")
        labels[team] = label
        if created:
            subjects = WorkItem.objects.filter(is_open=True).values_list("kind", "subject_id")
            DossierLabel.objects.bulk_create(
                [DossierLabel(label=label, kind=k, subject_id=s) for k, s in subjects if rng.random() < 0.1],
                batch_size=BATCH,
                ignore_conflicts=True,
            )
    return labels


def time_lists(clients, national, prefecture, runs):
    """Every sort key (both directions) × a few filters, for the national team and the Paris prefecture, then the
    side menu with the cap of saved views (their live counts)."""
    from workflows.filters import SORTS
    from workflows.services.saved_views import SAVED_VIEWS_MAX

    labels = seed_labels(random.Random(14))
    filters = {
        "sans filtre": "",
        "avis favorable": "opinion=favorable",
        "étiquette": "label={label}",
        "type + postes ≥ 3": "structure_type=commune&posts_min=3",
        "en retard": "deadline=retard",
        "étape + avis + étiquette": "step=structure_avis_prefecture&opinion=sans&label={label}",
    }
    rows = []
    for who, user, team in (("national", national, "national"), ("préf. 75", prefecture, "prefecture:75")):
        client = clients[user.pk]
        for key in SORTS:
            for sort in (key, f"-{key}"):
                for name, query in filters.items():
                    query = query.format(label=labels[team].pk)
                    url = f"{reverse('workflows:queue')}?tri={sort}&{query}"
                    timed(client, "GET", url, 1)
                    sql = []
                    durations, queries = timed(client, "GET", url, max(5, runs // 2), sql=sql)
                    rows.append((f"{who} tri={sort} {name}", durations, queries, sql))
        SavedView.objects.filter(user=user).delete()
        SavedView.objects.bulk_create(
            [
                SavedView(
                    user=user,
                    list_name="queue" if index % 3 else "inbox",
                    name=f"Vue {index}",
                    query=list(filters.values())[index % len(filters)].format(label=labels[team].pk)
                    + f"&tri={list(SORTS)[index % len(SORTS)]}",
                )
                for index in range(SAVED_VIEWS_MAX)
            ]
        )
        for label, url in (
            (f"{who} tableau de bord, menu avec {SAVED_VIEWS_MAX} vues", reverse("workflows:home")),
            (f"{who} À traiter, menu avec {SAVED_VIEWS_MAX} vues", reverse("workflows:queue") + "?tri=-postes"),
        ):
            timed(client, "GET", url, 2)
            sql = []
            durations, queries = timed(client, "GET", url, runs, sql=sql)
            rows.append((label, durations, queries, sql))
            # The menu's counts are kept MENU_COUNTS_SECONDS: the same page when they are counted afresh.
            sql = []
            durations, queries = timed(client, "GET", url, runs, sql=sql, before=cache.clear)
            rows.append((f"{label}, comptes recalculés", durations, queries, sql))
    return rows


def timed(client, method, url, runs, data=None, sql=None, before=None):
    durations, queries = [], []
    for _ in range(runs):
        if before is not None:
            before()
        connection.queries_log.clear()  # past Django's 9,000-query log, captured counts would read 0
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            response = client.post(url, data) if method == "POST" else client.get(url)
            durations.append((time.perf_counter() - begin) * 1000)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries.append(len(captured))
        if sql is not None:  # time spent in the database, apart from Python and template rendering
            sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    return durations, queries


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-seed", action="store_true", help="reuse an already seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed the database, time nothing")
    parser.add_argument("--lists-only", action="store_true", help="time only the sort × filter combinations")
    options = parser.parse_args()
    rng = random.Random(2026)

    log(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        call_command("load_territories", verbosity=0)
    if not Hub.objects.exists():
        call_command("load_hubs", verbosity=0)
    if not options.skip_seed:
        seed(options.processes, rng)
    if options.seed_only:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    prefecture = persona("prefecture75@bench.test", Role.PREFECTURE, department=Department.objects.get(pk="75"))
    hub = persona("hub@bench.test", Role.HUB, hub=Hub.objects.get(slug="francil-in"))
    national = persona("national@bench.test", Role.NATIONAL)
    inbox_owner = User.objects.get(email="agent0@bench.test")
    clients = {}
    for user in (prefecture, hub, national, inbox_owner):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)

    # Real processes (through the services) for the dossier page and the decision POST.
    from tests.workflows.factories import StructureApplicationFactory  # factories need the ORM only

    fresh = []
    already = StructureApplication.objects.count()  # re-runs must not reuse a SIRET still in an open application
    for index in range(options.runs):
        application = StructureApplicationFactory(siret=demo_siret(9_000_000 + already + index))
        fresh.append(services.structure_application_confirm(application_id=application.pk))
    items = [services.open_work_item(Kind.STRUCTURE, a.pk, Step.STRUCTURE_PREFECTURE) for a in fresh]

    # As config/wsgi.py does for each production worker: start-up objects out of the collector's scans (otherwise a
    # full collection of this long-lived process adds 100–200 ms to one request in twenty or so).
    gc.collect()
    gc.freeze()
    rows = []
    scenarios = [
        ("À traiter — préfecture 75", prefecture, reverse("workflows:queue")),
        (
            "À traiter — préfecture 75, filtre étape + recherche",
            prefecture,
            reverse("workflows:queue") + "?step=recrutement_avis_prefecture&q=bench",
        ),
        ("À traiter — hub Francil-in", hub, reverse("workflows:queue")),
        ("À traiter — national, page 20", national, reverse("workflows:queue") + "?page=20"),
        ("Mes tâches — agent avec tâches prises", inbox_owner, reverse("workflows:inbox")),
        ("Tableau de bord — préfecture 75", prefecture, reverse("workflows:home")),
        (
            "Dossiers — national, recrutements, page 30",
            national,
            reverse("workflows:dossiers") + "?type=recrutements&page=30",
        ),
        ("Dossiers — préfecture 75, recherche", prefecture, reverse("workflows:dossiers") + "?q=bench%2012"),
        (
            "À traiter — national, filtre étape transfert",
            national,
            reverse("workflows:queue") + "?step=transfert_avis_prefecture",
        ),
        ("Transferts de postes — préfecture 75", prefecture, reverse("workflows:transfer_list")),
        ("Transferts de postes — national, page 10", national, reverse("workflows:transfer_list") + "?page=10"),
        ("Demandes en attente par étape — préfecture 75", prefecture, reverse("workflows:requests_age")),
        ("Demandes en attente par étape — national", national, reverse("workflows:requests_age")),
        ("Capacité (pilotage) — national", national, reverse("pilotage:capacity")),
        ("Capacité (pilotage) — préfecture 75", prefecture, reverse("pilotage:capacity")),
        (
            "Dossier (candidature de structure)",
            prefecture,
            reverse("workflows:structure_application", args=[fresh[0].pk]),
        ),
    ]
    if options.lists_only:
        scenarios, items = [], []
    for label, user, url in scenarios:
        timed(clients[user.pk], "GET", url, 2)  # warm-up
        durations, queries = timed(clients[user.pk], "GET", url, options.runs)
        rows.append((label, durations, queries))
    decision_durations, decision_queries = [], []
    for item in items:
        durations, queries = timed(
            clients[prefecture.pk],
            "POST",
            reverse("workflows:decide", args=[item.pk]),
            1,
            {"opinion": "favorable", "internal_note": "Avis favorable (bench)."},
        )
        decision_durations += durations
        decision_queries += queries
    if decision_durations:
        rows.append(("Décision (POST avis du préfet)", decision_durations, decision_queries))
    list_rows = time_lists(clients, national, prefecture, options.runs)

    total = Process.objects.count()
    tasks = Task.objects.count()
    open_items = WorkItem.objects.filter(is_open=True).count()
    out(f"\n{connection.vendor}: {total:,} processes, {tasks:,} tasks, {open_items:,} open tasks")
    out(f"({options.runs} runs each)\n")
    out(f"| {'Page':<55} | median (ms) | p95 (ms) | queries |")
    out(f"|{'-' * 57}|-------------|----------|---------|")
    for label, durations, queries in rows:
        spread = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}"
        median, p95 = statistics.median(durations), percentile(durations, 0.95)
        out(f"| {label:<55} | {median:11.1f} | {p95:8.1f} | {spread:>7} |")
    out("\nSort × filter of « À traiter » and saved views' counts (issue 14)\n")
    out(f"| {'Scenario':<70} | median (ms) | p95 (ms) | SQL p95 (ms) | queries |")
    out(f"|{'-' * 72}|-------------|----------|--------------|---------|")
    for label, durations, queries, sql in list_rows:
        spread = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}"
        median, p95 = statistics.median(durations), percentile(durations, 0.95)
        out(f"| {label:<70} | {median:11.1f} | {p95:8.1f} | {percentile(sql, 0.95):12.1f} | {spread:>7} |")
    worst = max(percentile(durations, 0.95) for _, durations, _, _ in list_rows)
    worst_sql = max(percentile(sql, 0.95) for _, _, _, sql in list_rows)
    out(f"\nWorst p95 of the combinations: {worst:.1f} ms for the page, {worst_sql:.1f} ms in the database")


if __name__ == "__main__":
    main()
