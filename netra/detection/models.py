"""Detection's tables: the aliases staff add to an election's lexicon, the stored verdicts
of items, and the flags the rules raise (one act, or a coordinated group of acts)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped
from netra.detection.verdict import ContentClass, Stance
from netra.elections.models import Candidate, Election
from netra.geo.models import Region
from netra.registry.models import Agency, Subject
from netra.social.models import Interaction, Item


class TermKind(models.TextChoices):
    """What a lexicon term is of its candidate (also the kind of a match)."""

    NAME = "name", _("nama")
    ALIAS = "alias", _("alias atau julukan")
    NUMBER = "number", _("nomor urut")
    ACRONYM = "acronym", _("singkatan pasangan")
    SLOGAN = "slogan", _("slogan")
    HASHTAG = "hashtag", _("tagar")
    ACCOUNT = "account", _("akun")
    PARTY = "party", _("partai")


# Ballot numbers come from the candidate itself; staff add every other kind.
ALIAS_KINDS = [kind for kind in TermKind if kind != TermKind.NUMBER]


class LexiconAlias(models.Model):
    """A term staff saw used for a candidate ("Mas Bagus", "#BaRa"), added to the lexicon
    of the candidate's election. Rows are added and deleted, never edited by a service."""

    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("calon"), on_delete=models.CASCADE, related_name="+"
    )
    term = models.CharField(_("istilah"), max_length=200)
    kind = models.CharField(
        _("jenis istilah"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in ALIAS_KINDS],
        default=TermKind.ALIAS,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditambahkan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("alias leksikon")
        verbose_name_plural = _("alias leksikon")
        ordering = ["election", "candidate", "term"]
        constraints = [
            models.UniqueConstraint(
                "candidate",
                Lower("term"),
                name="lexiconalias_unique_term_per_candidate",
                violation_error_message=_("Istilah ini sudah ada untuk calon tersebut."),
            ),
        ]
        indexes = [
            # The aliases of one election, read each time its lexicon is checked for changes.
            models.Index(fields=["election", "candidate"], name="lexiconalias_election"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        self.term = " ".join(self.term.split())
        if (
            self.candidate_id is not None
            and self.election_id is not None
            and self.candidate.election_id != self.election_id
        ):
            raise ValidationError(
                {"candidate": _("Calon ini tidak ikut dalam pemilihan yang dipilih.")}
            )


class ContentVerdict(models.Model):
    """What the classifier said of one item for one election (``Verdict.as_json()`` kept
    whole as ``explanation``). One row per item and election, replaced by each run."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("konten"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # contentverdict_unique serves it
    )
    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="+"
    )
    content_class = models.CharField(
        _("kelas"),
        max_length=20,
        choices=[(c.value, c.label) for c in ContentClass],
    )
    stance = models.CharField(
        _("sikap"), max_length=10, choices=[(s.value, s.label) for s in Stance]
    )
    target = models.ForeignKey(
        Candidate,
        verbose_name=_("calon sasaran"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    score = models.FloatField(_("probabilitas kampanye"))
    model_version = models.CharField(_("versi model"), max_length=80)
    explanation = models.JSONField(_("penjelasan"), default=dict)
    judged_at = models.DateTimeField(_("dinilai pada"))

    class Meta:
        verbose_name = _("putusan klasifikasi")
        verbose_name_plural = _("putusan klasifikasi")
        constraints = [
            models.UniqueConstraint(fields=["item", "election"], name="contentverdict_unique"),
        ]
        indexes = [
            # The campaign items of one election, read by each detection run.
            models.Index(fields=["election", "content_class"], name="contentverdict_class"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.election_id}: {self.content_class}"


class FlagKind(models.TextChoices):
    ACT = "act", _("tindakan tunggal")
    COORDINATION = "coordination", _("mobilisasi (terkoordinasi)")


class ActKind(models.TextChoices):
    """What a subject did, as the rules tell acts apart (SKB 2022: post, comment, share,
    like, join or follow)."""

    POST = "post", _("unggahan")
    COMMENT = "comment", _("komentar")
    SHARE = "share", _("bagikan")
    QUOTE = "quote", _("kutipan")
    LIKE = "like", _("suka")
    REACTION = "reaction", _("reaksi")
    FOLLOW = "follow", _("mengikuti akun kampanye")
    JOIN = "join", _("bergabung dengan grup kampanye")


class Severity(models.TextChoices):
    LOW = "low", _("ringan")
    MEDIUM = "medium", _("sedang")
    HIGH = "high", _("berat")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("terbuka")
    CONFIRMED = "confirmed", _("dikonfirmasi")
    DISMISSED = "dismissed", _("ditolak")
    # The act no longer meets a rule (the verdict changed, the account link was undone):
    # set and lifted by detection itself, never by staff; an open flag only.
    WITHDRAWN = "withdrawn", _("dicabut sistem")


DECIDED_STATUSES = frozenset({FlagStatus.CONFIRMED, FlagStatus.DISMISSED})


class Flag(TimeStamped):
    """One suspected violation for staff to triage: a subject's act, or several subjects'
    acts on the same campaign content within a time window (coordination).

    ``key`` names what the flag is about (the election, the subject and the item or
    interaction; for coordination the group, the target and its first act), so a rerun of
    detection finds its flag again instead of making a second one. Detection rewrites an
    open flag; a confirmed or dismissed one is never changed by it.
    """

    key = models.CharField(_("kunci"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=15, choices=FlagKind.choices)
    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subjek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The subject's workplace, or for coordination the regency (or the agency's region).
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(_("platform"), max_length=20, blank=True)
    act = models.CharField(_("tindakan"), max_length=10, choices=ActKind.choices, blank=True)
    item = models.ForeignKey(
        Item,
        verbose_name=_("konten"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaksi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the act was on, for grouping: "item:<platform>:<id>", "account:<id>",
    # "hashtag:<tag>"; the campaign content itself for an own post.
    target = models.CharField(_("sasaran"), max_length=300, blank=True)
    # Every catalogue code and prohibition the act meets, with its legal basis and version.
    violations = models.JSONField(_("jenis pelanggaran"), default=list)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    priority = models.PositiveSmallIntegerField(_("skor prioritas"))
    stage = models.CharField(_("tahapan"), max_length=30, blank=True)
    acted_at = models.DateTimeField(_("waktu tindakan"), null=True, blank=True)
    seen_from = models.DateTimeField(_("pertama terlihat"), null=True, blank=True)
    seen_until = models.DateTimeField(_("terakhir terlihat"), null=True, blank=True)
    model_version = models.CharField(_("versi model"), max_length=80, blank=True)
    explanation = models.JSONField(_("penjelasan"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    dismiss_reason = models.TextField(_("alasan penolakan"), blank=True)
    # What the deciding supervisor holds the content to be: campaign on confirming, and on
    # dismissing when the grounds are the content itself (news, an everyday post). Such
    # decisions are labelled examples for ``netra model train``; blank: not said.
    content_label = models.CharField(
        _("penilaian konten oleh petugas"),
        max_length=20,
        choices=[(c.value, c.label) for c in ContentClass],
        blank=True,
    )

    class Meta:
        verbose_name = _("tanda dugaan pelanggaran")
        verbose_name_plural = _("tanda dugaan pelanggaran")
        ordering = ["-priority", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__lte=100), name="flag_priority_0_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="act") | models.Q(subject__isnull=False),
                name="flag_act_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "withdrawn"])
                | models.Q(decided_at__isnull=False),
                name="flag_decision_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dismissed") | ~models.Q(dismiss_reason=""),
                name="flag_dismissal_has_reason",
            ),
        ]
        indexes = [
            # The triage queue: open flags of an election by priority.
            models.Index(fields=["election", "status", "-priority"], name="flag_queue"),
            # The triage queue within a jurisdiction (region code prefix).
            models.Index(fields=["region", "status"], name="flag_region"),
            # Coordination: the act flags of an election on one target.
            models.Index(fields=["election", "kind", "target"], name="flag_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    @property
    def decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class FlagViolation(models.Model):
    """One violation code a flag names (a catalogue code such as ``N04`` or a prohibition
    such as ``desa-pemilu``), so that the queue can be filtered by it."""

    flag = models.ForeignKey(
        Flag, verbose_name=_("tanda"), on_delete=models.CASCADE, related_name="violation_rows"
    )
    code = models.CharField(_("kode"), max_length=40)

    class Meta:
        verbose_name = _("kode pelanggaran tanda")
        verbose_name_plural = _("kode pelanggaran tanda")
        constraints = [
            models.UniqueConstraint(fields=["flag", "code"], name="flagviolation_unique"),
        ]
        indexes = [
            # The triage filter "violation type": flags naming one code.
            models.Index(fields=["code", "flag"], name="flagviolation_code"),
        ]

    def __str__(self) -> str:
        return f"{self.flag_id}: {self.code}"


class FlagMember(models.Model):
    """One act of a coordination flag: the act's own flag, in the coordination's time line."""

    coordination = models.ForeignKey(
        Flag, verbose_name=_("mobilisasi"), on_delete=models.CASCADE, related_name="members"
    )
    member = models.ForeignKey(
        Flag, verbose_name=_("tindakan"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("anggota mobilisasi")
        verbose_name_plural = _("anggota mobilisasi")
        constraints = [
            models.UniqueConstraint(fields=["coordination", "member"], name="flagmember_unique"),
        ]
        indexes = [
            # The coordination flags an act belongs to (its flag page).
            models.Index(fields=["member"], name="flagmember_member"),
        ]

    def __str__(self) -> str:
        return f"{self.coordination_id} ∋ {self.member_id}"


class DetectionRunStatus(models.TextChoices):
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    BUSY = "busy", _("dilewati, sedang berjalan di proses lain")
    FAILED = "failed", _("gagal")


class DetectionRun(models.Model):
    """One detection run over one election: when, with which model, and what it did.

    The scheduled poll compares an election's last run with the ingest runs finished
    since; the triage pages show when detection last ran."""

    election = models.ForeignKey(
        Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DetectionRunStatus.choices,
        default=DetectionRunStatus.RUNNING,
    )
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    model_version = models.CharField(_("versi model"), max_length=80, blank=True)
    judged = models.PositiveBigIntegerField(_("konten dinilai"), default=0)
    campaign = models.PositiveBigIntegerField(_("dinilai kampanye"), default=0)
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        verbose_name = _("jalannya deteksi")
        verbose_name_plural = _("jalannya deteksi")
        indexes = [
            # The last run of an election, read by every scheduled poll.
            models.Index(fields=["election", "-started_at"], name="detectionrun_last"),
        ]

    def __str__(self) -> str:
        return f"{self.election_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
