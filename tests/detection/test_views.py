"""The triage pages (/deteksi/): who sees which flags, filters, the flag page, decisions
one by one and in bulk, each through the services and their Events."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from netra.core.events import events_for
from netra.core.models import Event
from netra.detection import views as detection_views
from netra.detection.events import DetectionEvent
from netra.detection.models import Flag, FlagStatus
from netra.detection.pages import flags_page, flags_page_before, with_moment
from netra.detection.selectors import flags_for_user
from netra.detection.services import flag_confirm, flag_dismiss
from netra.registry.models import Agency
from netra.social.models import Item, ItemVersion, Source, SourceKind
from netra.staff.models import Office, User
from tests.detection.conftest import World
from tests.detection.triage_data import CANDIDATE_TEXT, OWN_TEXT, Triage, build_triage

ClientFor = Callable[[str], Client]
URL = "/deteksi/"


@pytest.fixture
def triage(world: World, personas: dict[str, User | None]) -> Triage:
    return build_triage(world)


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="flag" data-flag="(\d+)">', html)]


def _row(html: str, flag: Flag) -> str:
    return html.split(f'<li class="flag" data-flag="{flag.pk}">', 1)[1].split("</li>", 1)[0]


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _teachers(t: Triage) -> list[Flag]:
    """The three teachers' like flags, newest first (the queue's order within a score)."""
    names = ["Rina Kusuma", "Agus Salim", "Dewi Lestari"]
    return [Flag.objects.get(kind="act", subject__full_name=name) for name in names]


def _ordered(t: Triage, names: list[str]) -> list[int]:
    found: list[int] = []
    for name in names:
        if name == "teachers":
            found += [f.pk for f in _teachers(t)]
        else:
            found.append(getattr(t, name).pk)
    return found


# --- the queue ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "shown", "decides"),
    [
        ("anonymous", 302, None, None),
        (
            "ri_admin",
            200,
            ["lumajang", "post", "comment", "coordination", "like", "teachers"],
            True,
        ),
        ("malang_analyst", 200, ["post", "comment", "coordination", "like", "teachers"], True),
        # Donomulyo sees its own villages' subjects: not Pagak, not the regency's group.
        ("donomulyo_supervisor", 200, ["post", "like", "teachers"], False),
        ("lumajang_analyst", 200, ["lumajang"], True),
        ("bkpsdm_partner", 403, None, None),
    ],
)
def test_each_office_sees_the_open_flags_of_its_jurisdiction_by_priority(
    client_for: ClientFor,
    triage: Triage,
    persona: str,
    status: int,
    shown: list[str] | None,
    decides: bool | None,
) -> None:
    response = client_for(persona).get(URL)

    assert response.status_code == status
    if persona == "anonymous":
        assert response.headers["Location"] == f"/akun/masuk/?next={URL}"
    if shown is None:
        return
    html = response.content.decode()
    assert _shown(html) == _ordered(triage, shown)
    assert ('name="tanda"' in html) is decides
    assert ('name="keputusan" value="dismiss"' in html) is decides


def test_a_row_shows_subject_act_platform_codes_scores_time_and_excerpt(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("malang_analyst"), URL)

    post = _row(html, triage.post)
    for text in (
        '<span class="badge priority" data-priority="93">skor 93</span>',
        '<span class="badge severity high">berat</span>',
        '<span class="badge status open">terbuka</span>',
        '<span class="platform">Instagram</span>',
        '<time datetime="2024-10-03T19:30:00+07:00">03-10-2024 19:30 WIB</time>',
        f'<a href="/deteksi/{triage.post.pk}/"><strong>Sri Handayani</strong></a>',
        '<span class="badge kind">PNS</span>',
        "SMP Negeri 1 Donomulyo · 35.07.01.2001 Tulungrejo",
        '<span class="act-kind">Unggahan</span> <span class="badge code">N02</span> '
        '<span class="badge code">asn-pilkada</span>',
        f'<p class="excerpt">{OWN_TEXT}</p>',
    ):
        assert text in post
    # A like has no platform time: its observation window.
    like = _row(html, triage.like)
    assert "terlihat antara" in like
    assert '<time datetime="2024-10-04T08:00:00+07:00">' in like
    assert '<time datetime="2024-10-06T08:00:00+07:00">' in like
    assert f'<p class="excerpt">{CANDIDATE_TEXT}</p>' in like
    group = _row(html, triage.coordination)
    assert "<strong>Mobilisasi 3 subjek</strong>" in group
    assert '<span class="badge code">N04</span>' in group
    # When detection last ran.
    assert (
        "Deteksi terakhir · Pemilihan Bupati dan Wakil Bupati Malang 2024 (uji deteksi): " in html
    )
    assert '<time datetime="2024-10-07T06:00:00+07:00">07-10-2024 06:00 WIB</time>' in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("region=35.07.02", ["comment"]),
        ("region=35.07.01.2001", ["post", "like", "teachers"]),
        ("platform=instagram&kind=coordination", ["coordination"]),
        ("kind=act&violation=N04", ["like", "teachers"]),
        ("violation=desa-uu-desa", ["comment"]),
        ("min_priority=70", ["post", "comment"]),
        ("stage=campaign&min_priority=60", ["post", "comment", "coordination"]),
        ("stage=voting", []),
        ("platform=x", []),
    ],
)
def test_the_queue_filters(
    client_for: ClientFor, triage: Triage, query: str, shown: list[str]
) -> None:
    html = _html(client_for("malang_analyst"), f"{URL}?{query}")
    assert _shown(html) == _ordered(triage, shown)


def test_the_agency_filter(client_for: ClientFor, triage: Triage) -> None:
    pagak = Agency.objects.get(name="Pemerintah Desa Sumbermanjing Kulon")
    html = _html(client_for("malang_analyst"), f"{URL}?agency={pagak.pk}")
    assert _shown(html) == [triage.comment.pk]


def test_the_status_filter_shows_decided_flags_and_open_is_the_default(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    analyst = personas["malang_analyst"]
    assert isinstance(analyst, User)
    flag_confirm(flag=triage.post, actor=analyst)
    flag_dismiss(flag=triage.comment, actor=analyst, reason="Komentar netral.")
    client = client_for("malang_analyst")

    assert triage.post.pk not in _shown(_html(client, URL))
    assert _shown(_html(client, f"{URL}?status=confirmed")) == [triage.post.pk]
    assert _shown(_html(client, f"{URL}?status=dismissed")) == [triage.comment.pk]
    everything = _html(client, f"{URL}?status=")
    assert _shown(everything) == _ordered(
        triage, ["post", "comment", "coordination", "like", "teachers"]
    )
    # A decided flag has no checkbox.
    assert 'name="tanda"' not in _row(everything, triage.post)
    assert 'name="tanda"' in _row(everything, triage.like)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=35.08", "Wilayah yang dipilih tidak ada dalam wilayah Anda."),
        ("region=99.99", "Wilayah yang dipilih tidak ada dalam wilayah Anda."),
        ("min_priority=101", "Skor prioritas berupa bilangan bulat 0 sampai 100."),
        ("violation=Z99", "Tidak ada tanda dengan kode pelanggaran Z99 dalam wilayah Anda."),
        ("agency=999999", "Instansi yang dipilih tidak ada dalam wilayah Anda."),
    ],
)
def test_a_filter_outside_the_jurisdiction_or_out_of_range_shows_nothing(
    client_for: ClientFor, triage: Triage, query: str, message: str
) -> None:
    html = _html(client_for("malang_analyst"), f"{URL}?{query}")
    assert _shown(html) == []
    assert message in html
    assert "Periksa isian penyaring di atas." in html


def test_the_region_filter_lists_regions_down_two_levels_from_the_office(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("malang_analyst"), URL)
    select = html.split('<select name="region"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        "35.07",
        "35.07.01",
        "35.07.01.2001",
        "35.07.02",
        "35.07.02.2001",
    ]


def test_the_queue_is_paged_by_keyset_both_ways(
    personas: dict[str, User | None], triage: Triage
) -> None:
    admin = personas["ri_admin"]
    flags = with_moment(flags_for_user(admin).filter(status=FlagStatus.OPEN))
    order = _ordered(triage, ["lumajang", "post", "comment", "coordination", "like", "teachers"])

    first = flags_page(flags, size=3)
    second = flags_page(flags, first.next_cursor, size=3)
    third = flags_page(flags, second.next_cursor, size=3)

    assert [[f.pk for f in p.rows] for p in (first, second, third)] == [
        order[:3],
        order[3:6],
        order[6:],
    ]
    assert (first.first, second.first, third.next_cursor) == (True, False, "")
    back = flags_page_before(flags, third.prev_cursor, size=3)
    assert [f.pk for f in back.rows] == order[3:6]
    assert [f.pk for f in flags_page_before(flags, back.prev_cursor, size=3).rows] == order[:3]
    # A cursor no flag could have reads the first page.
    for bad in ("x", "101.2024-10-01T00:00:00+00:00.1", "5.2024-10-01T00:00:00.1", "5.x.1"):
        assert [f.pk for f in flags_page(flags, bad, size=3).rows] == order[:3]


def test_the_pager_links_carry_the_filters(
    client_for: ClientFor, triage: Triage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        detection_views, "flags_page", lambda qs, cursor="": flags_page(qs, cursor, size=2)
    )

    html = _html(client_for("malang_analyst"), f"{URL}?kind=act")

    assert _shown(html) == _ordered(triage, ["post", "comment"])
    [link] = re.findall(r'<a href="(\?[^"]*)" rel="next">', html)
    assert link.startswith("?kind=act&amp;setelah=77.")


def test_the_queue_reads_a_page_in_a_bounded_number_of_queries(
    client_for: ClientFor, triage: Triage, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for("ri_admin")
    client.get(URL)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


# --- the flag page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "post", "comment", "lumajang"),
    [
        ("anonymous", 302, 302, 302),
        ("ri_admin", 200, 200, 200),
        ("malang_analyst", 200, 200, 404),
        ("donomulyo_supervisor", 200, 404, 404),
        ("lumajang_analyst", 404, 404, 200),
        ("bkpsdm_partner", 403, 403, 403),
    ],
)
def test_a_flag_page_is_open_within_the_jurisdiction_only(
    client_for: ClientFor,
    triage: Triage,
    persona: str,
    post: int,
    comment: int,
    lumajang: int,
) -> None:
    client = client_for(persona)
    for flag, status in (
        (triage.post, post),
        (triage.comment, comment),
        (triage.lumajang, lumajang),
    ):
        assert client.get(f"{URL}{flag.pk}/").status_code == status


def test_a_missing_flag_is_a_404_like_a_forbidden_one(
    client_for: ClientFor, triage: Triage
) -> None:
    client = client_for("malang_analyst")
    assert client.get(f"{URL}99999999/").status_code == 404
    assert client.post(f"{URL}99999999/konfirmasi/").status_code == 404


def test_the_flag_page_shows_content_context_and_explanation(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("malang_analyst"), f"{URL}{triage.post.pk}/")

    for text in (
        f"<h1>Tanda {triage.post.pk}: Sri Handayani</h1>",
        # The content with the matched term marked, and its monitoring page.
        '<p class="text flagged"><mark>Mas Bagus</mark> pasti menang, coblos nomor 1!</p>',
        f'<a href="/pantau/konten/{triage.post.item_id}/">Rincian, utas dan asal data</a>',
        # The subject, the account and the proof of the link.
        '<dd class="subject-name">Sri Handayani</dd>',
        "<dd>Guru IPS</dd>",
        '<dd class="subject-agency">SMP Negeri 1 Donomulyo</dd>',
        "@srihandayani.fiktif",
        '<span class="badge link confirmed">Dikonfirmasi</span> keyakinan 95%',
        '<p class="proof">Profil menyebut nama dan sekolah.</p>',
        # The explanation.
        "<li>PNS mengunggah konten kampanye yang mendukung calon nomor 1 (Bagus Santoso "
        "Wiryawan) (probabilitas model 0,93).</li>",
        '<dd class="probability">0,93</dd>',
        "<li>Menyebut alias calon nomor 1 dan ajakan memilih.</li>",
        '<li><mark>mas bagus</mark> <span class="muted">alias, calon nomor 1</span></li>',
        '<li><code>coblos</code> <span class="muted">1,42</span></li>',
        "<p>Unggahan pada 3 Oktober 2024 pukul 19.30 WIB, dalam masa kampanye "
        "(25 September 2024 – 23 November 2024).</p>",
        '<dd class="model"><code>uji-2024.11</code></dd>',
        '<tr data-code="N02">',
        "SKB 2022 Lampiran II; etik PP 42/2004 Pasal 11 huruf c",
        '<tr data-code="asn-pilkada">',
        "Ancaman pidana: UU 10/2016 Pasal 188",
        "Ditandai oleh deteksi",
        # An open flag: both decisions for an analyst.
        f'action="/deteksi/{triage.post.pk}/konfirmasi/"',
        f'action="/deteksi/{triage.post.pk}/tolak/"',
    ):
        assert text in html, text


def test_a_comment_flag_shows_the_post_it_answers_with_the_terms_marked_there(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("malang_analyst"), f"{URL}{triage.comment.pk}/")

    parent = html.split("Konten induk (yang dikomentari atau dibagikan)", 1)[1]
    parent, own = parent.split("Konten subjek", 1)
    assert "Ayo dukung <mark>Mas Bagus</mark> dan Bu Ratna di pilkada Malang." in parent
    assert "@bagusratna.fiktif" in parent
    assert 'href="https://www.instagram.com/p/bagus1/"' in parent
    assert '<p class="text flagged">Setuju pak, semoga lancar.</p>' in own
    assert "Kepala desa berkomentar pada konten kampanye orang lain" in html


def test_a_like_flag_shows_the_interaction_and_its_observation_window(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("donomulyo_supervisor"), f"{URL}{triage.like.pk}/")

    assert "Interaksi: suka · platform tidak memberi waktu; terlihat antara" in html
    assert "Konten yang diberi interaksi" in html
    assert "Ayo dukung <mark>Mas Bagus</mark>" in html
    assert "Suka tercatat antara 4 dan 6 Oktober 2024, seluruhnya dalam masa kampanye" in html
    # A field supervisor reads the flag; analysts decide it.
    assert "konfirmasi/" not in html
    assert "Diputuskan oleh analis, komisioner atau administrator" in html


def test_a_coordination_flag_lists_its_members_in_time_order(
    client_for: ClientFor, triage: Triage
) -> None:
    html = _html(client_for("malang_analyst"), f"{URL}{triage.coordination.pk}/")

    members = re.findall(r'<li class="member" data-member="(\d+)">', html)
    assert [int(pk) for pk in members] == [f.pk for f in reversed(_teachers(triage))]
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r"<strong>([^<]+)</strong>", timeline) == [
        "Dewi Lestari",
        "Agus Salim",
        "Rina Kusuma",
    ]
    assert "3 subjek dari instansi SMP Negeri 1 Donomulyo bertindak atas konten kampanye" in html
    assert "Tindakan dalam jendela 24 jam" in html
    assert f'<p class="text flagged">{CANDIDATE_TEXT}</p>' in html


def test_the_flag_page_shows_the_users_own_version_of_a_shared_item(
    client_for: ClientFor, offices: dict[str, Office], triage: Triage
) -> None:
    item = triage.post.item
    assert item is not None
    elsewhere = Source.objects.create(
        kind=SourceKind.FILE,
        name="lumajang.jsonl",
        format="jsonl",
        sha256="1" * 64,
        owner=offices["lumajang"],
    )
    Item.objects.filter(pk=item.pk).update(
        shown_source=elsewhere, text="Versi kantor lain: Mas Bagus menang."
    )
    ItemVersion.objects.create(
        item=item,
        source=triage.world.source,
        author=item.author,
        text="Kata Mas Bagus: coblos nomor 1!",
        raw_sha256="2" * 64,
    )

    mine = _html(client_for("malang_analyst"), f"{URL}{triage.post.pk}/")
    national = _html(client_for("ri_admin"), f"{URL}{triage.post.pk}/")

    assert '<p class="text flagged">Kata <mark>Mas Bagus</mark>: coblos nomor 1!</p>' in mine
    assert "Versi kantor lain" not in mine
    assert '<p class="text flagged">Versi kantor lain: <mark>Mas Bagus</mark> menang.</p>' in (
        national
    )


# --- deciding one flag --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "decided"),
    [
        ("anonymous", 302, False),
        ("ri_admin", 302, True),
        ("malang_analyst", 302, True),
        ("donomulyo_supervisor", 403, False),
        ("lumajang_analyst", 404, False),
        ("bkpsdm_partner", 403, False),
    ],
)
def test_only_analysts_and_above_covering_the_flag_may_confirm_it(
    client_for: ClientFor,
    personas: dict[str, User | None],
    triage: Triage,
    persona: str,
    status: int,
    decided: bool,
) -> None:
    before = Event.objects.count()

    response = client_for(persona).post(f"{URL}{triage.post.pk}/konfirmasi/")

    assert response.status_code == status
    flag = Flag.objects.get(pk=triage.post.pk)
    if decided:
        assert response.headers["Location"] == f"{URL}{flag.pk}/"
        assert (flag.status, flag.decided_by) == (FlagStatus.CONFIRMED, personas[persona])
        [event] = events_for(flag)
        assert (event.kind, event.actor) == (DetectionEvent.FLAG_CONFIRMED, personas[persona])
    else:
        assert (flag.status, flag.decided_by, flag.decided_at) == (FlagStatus.OPEN, None, None)
        assert Event.objects.count() == before


def test_a_confirmed_flag_shows_who_decided_when(client_for: ClientFor, triage: Triage) -> None:
    response = client_for("malang_analyst").post(f"{URL}{triage.post.pk}/konfirmasi/", follow=True)

    html = response.content.decode()
    assert '<li class="success">Tanda dikonfirmasi: siap dijadikan temuan.</li>' in html
    assert "Dikonfirmasi oleh Malang Analyst" in html
    assert "konfirmasi/" not in html.split('id="keputusan"', 1)[1].split("</section>", 1)[0]
    history = html.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r"<strong>([^<]+)</strong>( oleh [^<:]+)?", history) == [
        ("Ditandai oleh deteksi", ""),
        ("Dikonfirmasi", " oleh Malang Analyst"),
    ]


def test_deciding_a_decided_flag_again_changes_nothing(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    admin = personas["ri_admin"]
    assert isinstance(admin, User)
    flag_dismiss(flag=triage.post, actor=admin, reason="Akun milik kerabat.")
    before = Event.objects.count()

    response = client_for("malang_analyst").post(f"{URL}{triage.post.pk}/konfirmasi/", follow=True)

    assert Flag.objects.get(pk=triage.post.pk).status == FlagStatus.DISMISSED
    assert Event.objects.count() == before
    html = response.content.decode()
    assert "1 tanda sudah diputuskan atau dicabut sistem; tidak ada yang diubah." in html
    assert "Ditolak oleh Ri Admin" in html
    assert '<p class="reason"><strong>Alasan:</strong> Akun milik kerabat.</p>' in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_dismissal_without_a_reason_is_refused(
    client_for: ClientFor, triage: Triage, reason: str
) -> None:
    response = client_for("malang_analyst").post(
        f"{URL}{triage.post.pk}/tolak/", {"alasan": reason}
    )

    assert response.status_code == 400
    assert '<div class="error" role="alert">Tuliskan alasan penolakan.</div>' in (
        response.content.decode()
    )
    assert Flag.objects.get(pk=triage.post.pk).status == FlagStatus.OPEN
    assert list(events_for(triage.post)) == []


def test_a_dismissal_keeps_its_reason_on_the_flag_and_its_event(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    response = client_for("malang_analyst").post(
        f"{URL}{triage.comment.pk}/tolak/",
        {"alasan": " Komentar tidak mendukung calon. "},
        follow=True,
    )

    flag = Flag.objects.get(pk=triage.comment.pk)
    assert (flag.status, flag.dismiss_reason) == (
        FlagStatus.DISMISSED,
        "Komentar tidak mendukung calon.",
    )
    [event] = events_for(flag)
    assert (event.kind, event.actor, event.params["reason"]) == (
        DetectionEvent.FLAG_DISMISSED,
        personas["malang_analyst"],
        "Komentar tidak mendukung calon.",
    )
    html = response.content.decode()
    assert '<li class="success">Tanda ditolak; alasannya tercatat.</li>' in html
    assert ': <span class="reason">Komentar tidak mendukung calon.</span>' in html


@pytest.mark.parametrize(
    ("persona", "status"), [("donomulyo_supervisor", 403), ("lumajang_analyst", 404)]
)
def test_a_dismissal_by_who_may_not_decide_changes_nothing(
    client_for: ClientFor, triage: Triage, persona: str, status: int
) -> None:
    response = client_for(persona).post(f"{URL}{triage.post.pk}/tolak/", {"alasan": "Bukan."})
    assert response.status_code == status
    assert Flag.objects.get(pk=triage.post.pk).status == FlagStatus.OPEN
    assert list(events_for(triage.post)) == []


def test_a_decision_needs_post_and_a_csrf_token(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    assert client_for("malang_analyst").get(f"{URL}{triage.post.pk}/konfirmasi/").status_code == (
        405
    )
    supervisor = personas["donomulyo_supervisor"]
    assert isinstance(supervisor, User)
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)

    assert client.post(f"{URL}{triage.post.pk}/tolak/", {"alasan": "x"}).status_code == 403
    assert client.post(f"{URL}putuskan/", {"tanda": [triage.post.pk]}).status_code == 403
    assert Flag.objects.get(pk=triage.post.pk).status == FlagStatus.OPEN


# --- bulk decisions -----------------------------------------------------------------------------


def test_an_analyst_confirms_several_flags_at_once(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    chosen = [triage.post.pk, triage.like.pk]

    response = client_for("malang_analyst").post(
        f"{URL}putuskan/",
        {"tanda": chosen, "keputusan": "confirm", "saring": "region=35.07.01&setelah=x"},
        follow=True,
    )

    assert response.redirect_chain == [(f"{URL}?region=35.07.01", 302)]
    assert list(Flag.objects.filter(pk__in=chosen).values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
    ]
    events = Event.objects.filter(kind=DetectionEvent.FLAG_CONFIRMED).order_by("subject_id")
    assert [(e.subject_id, e.actor, e.params["batch"]) for e in events] == [
        (str(pk), personas["malang_analyst"], 2) for pk in sorted(chosen)
    ]
    html = response.content.decode()
    assert '<li class="success">2 tanda dikonfirmasi.</li>' in html
    assert _shown(html) == [f.pk for f in _teachers(triage)]


def test_a_bulk_dismissal_takes_one_reason_for_all(client_for: ClientFor, triage: Triage) -> None:
    chosen = [f.pk for f in _teachers(triage)]

    response = client_for("malang_analyst").post(
        f"{URL}putuskan/",
        {"tanda": chosen, "keputusan": "dismiss", "alasan": "Suka pada berita, bukan kampanye."},
        follow=True,
    )

    assert '<li class="success">3 tanda ditolak.</li>' in response.content.decode()
    assert set(
        Flag.objects.filter(pk__in=chosen).values_list("status", "dismiss_reason", "content_label")
    ) == {("dismissed", "Suka pada berita, bukan kampanye.", "")}


def test_a_dismissal_can_say_what_the_content_is(client_for: ClientFor, triage: Triage) -> None:
    chosen = [f.pk for f in _teachers(triage)]
    client_for("malang_analyst").post(
        f"{URL}putuskan/",
        {
            "tanda": chosen,
            "keputusan": "dismiss",
            "alasan": "Berita, bukan kampanye.",
            "isi": "political_neutral",
        },
    )
    client_for("malang_analyst").post(
        f"{URL}{triage.comment.pk}/tolak/",
        {"alasan": "Candaan keluarga.", "isi": "unrelated"},
    )

    assert set(Flag.objects.filter(pk__in=chosen).values_list("content_label", flat=True)) == {
        "political_neutral"
    }
    comment = Flag.objects.get(pk=triage.comment.pk)
    assert comment.content_label == "unrelated"
    assert events_for(comment)[0].params["content_label"] == "unrelated"
    page = client_for("malang_analyst").get(f"{URL}{triage.comment.pk}/").content.decode()
    assert "Isinya tidak terkait pemilihan" in page


def test_a_dismissal_cannot_call_the_content_campaign_or_anything_unknown(
    client_for: ClientFor, triage: Triage
) -> None:
    response = client_for("malang_analyst").post(
        f"{URL}{triage.comment.pk}/tolak/", {"alasan": "x", "isi": "campaign"}
    )

    assert response.status_code == 400
    assert "Penilaian isi campaign tidak dikenal." in response.content.decode()
    assert Flag.objects.get(pk=triage.comment.pk).status == FlagStatus.OPEN


def test_a_bulk_dismissal_without_a_reason_is_refused(
    client_for: ClientFor, triage: Triage
) -> None:
    chosen = [triage.post.pk, triage.like.pk]

    response = client_for("malang_analyst").post(
        f"{URL}putuskan/", {"tanda": chosen, "keputusan": "dismiss", "alasan": " "}, follow=True
    )

    assert '<li class="error">Tuliskan alasan penolakan.</li>' in response.content.decode()
    assert set(Flag.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {"open"}
    assert not Event.objects.filter(kind__startswith="detection.flag_").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keputusan": "confirm"}, "Pilih paling sedikit satu tanda."),
        ({"tanda": ["x"], "keputusan": "confirm"}, "Tanda yang dipilih tidak sah."),
        ({"tanda": ["1"], "keputusan": "open"}, "Keputusan open tidak dikenal"),
    ],
)
def test_a_bad_bulk_choice_is_refused_with_a_message(
    client_for: ClientFor, triage: Triage, data: dict[str, object], message: str
) -> None:
    response = client_for("malang_analyst").post(f"{URL}putuskan/", data, follow=True)
    assert message in response.content.decode()
    assert not Event.objects.filter(kind__startswith="detection.flag_").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("donomulyo_supervisor", 403),  # sees both flags, decides neither
        ("lumajang_analyst", 404),  # sees neither
        ("bkpsdm_partner", 403),
    ],
)
def test_a_bulk_decision_by_who_may_not_decide_changes_nothing(
    client_for: ClientFor, triage: Triage, persona: str, status: int
) -> None:
    chosen = [triage.post.pk, triage.like.pk]
    response = client_for(persona).post(
        f"{URL}putuskan/", {"tanda": chosen, "keputusan": "confirm"}
    )
    assert response.status_code == status
    assert set(Flag.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {"open"}
    assert not Event.objects.filter(kind__startswith="detection.flag_").exists()


def test_a_bulk_choice_with_one_flag_of_another_regency_is_refused_whole(
    client_for: ClientFor, triage: Triage
) -> None:
    chosen = [triage.post.pk, triage.lumajang.pk]

    response = client_for("malang_analyst").post(
        f"{URL}putuskan/", {"tanda": chosen, "keputusan": "confirm"}
    )

    assert response.status_code == 404
    assert set(Flag.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {"open"}
    assert not Event.objects.filter(kind__startswith="detection.flag_").exists()


def test_a_bulk_choice_with_a_decided_flag_decides_none(
    client_for: ClientFor, personas: dict[str, User | None], triage: Triage
) -> None:
    admin = personas["ri_admin"]
    assert isinstance(admin, User)
    flag_confirm(flag=triage.like, actor=admin)

    response = client_for("malang_analyst").post(
        f"{URL}putuskan/",
        {"tanda": [triage.post.pk, triage.like.pk], "keputusan": "confirm"},
        follow=True,
    )

    assert "1 tanda sudah diputuskan atau dicabut sistem; tidak ada yang diubah." in (
        response.content.decode()
    )
    assert Flag.objects.get(pk=triage.post.pk).status == FlagStatus.OPEN


# --- navigation ---------------------------------------------------------------------------------


def test_the_sections_nav_links_to_the_queue(client_for: ClientFor, triage: Triage) -> None:
    html = _html(client_for("donomulyo_supervisor"), f"{URL}{triage.post.pk}/")
    assert f'<a href="{URL}" aria-current="page">Antrean tanda</a>' in html
    assert "Antrean tanda</a>" not in client_for("bkpsdm_partner").get("/").content.decode()
