"""Platform accounts, items, interactions, and where each record came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netra.core.models import TimeStamped
from netra.core.platforms import Platform


class Account(TimeStamped):
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_id = models.CharField(
        _("ID platform"),
        max_length=100,
        blank=True,
        help_text=_("ID tetap dari platform; nama akun bisa berganti."),
    )
    handle = models.CharField(_("nama akun"), max_length=200, blank=True)
    display_name = models.CharField(_("nama tampilan"), max_length=300, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    # The source whose profile the handle, name and bio above are: only a source of the
    # same owner and election replaces them (see ``Source.scope``); every source's own
    # version stays in its snapshots.
    shown_source = models.ForeignKey(
        "Source",
        verbose_name=_("sumber yang ditampilkan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("akun media sosial")
        verbose_name_plural = _("akun media sosial")
        ordering = ["platform", "handle"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(platform_id="") | ~Q(handle=""), name="account_has_id_or_handle"
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~Q(platform_id=""),
                name="account_unique_platform_id",
            ),
        ]
        indexes = [
            # Looking an account up by its handle when the platform id is unknown (manual entry).
            models.Index(fields=["platform", "handle"], name="account_platform_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle or self.platform_id}"


class ItemKind(models.TextChoices):
    POST = "post", _("unggahan")
    COMMENT = "comment", _("komentar")
    REPLY = "reply", _("balasan")
    SHARE = "share", _("bagikan ulang")
    QUOTE = "quote", _("kutipan")
    VIDEO = "video", _("video")


class InteractionKind(models.TextChoices):
    LIKE = "like", _("suka")
    REACTION = "reaction", _("reaksi")
    SHARE = "share", _("bagikan")
    COMMENT = "comment", _("komentar")
    FOLLOW = "follow", _("ikuti")
    JOIN = "join", _("bergabung")
    MENTION = "mention", _("sebut")


class SourceKind(models.TextChoices):
    FILE = "file", _("berkas")
    API = "api", _("pengumpulan API")
    PUSH = "push", _("kiriman kolektor")
    MANUAL = "manual", _("entri manual")


class RawBlock(models.Model):
    """Raw payloads of one loaded batch, one record per line, compressed together.

    Compressing a batch at once is some twenty times faster than record by record and
    about five times smaller; a record is read back by its ``raw_start`` and
    ``raw_length`` in the decompressed block.
    """

    codec = models.CharField(_("kodek"), max_length=10, default="zstd")
    size = models.PositiveIntegerField(_("ukuran asli"))
    data = models.BinaryField(_("isi terkompresi"))

    class Meta:
        verbose_name = _("blok data mentah")
        verbose_name_plural = _("blok data mentah")

    def __str__(self) -> str:
        return f"RawBlock {self.pk} ({self.size} B)"


class Source(models.Model):
    """One file, API page, pushed batch or manual entry that brought records in.

    A file is known by its SHA-256 and its owner, the office of whoever brought it in: the
    same file loaded twice by one office is the same source, its records not stored twice
    and a killed load resumed where it stopped; the same bytes brought by another office
    are a source of that office. Who may see a source follows its owner and its election
    (``netra.monitor.access``): two sources of one ``scope`` are seen by the same people.
    """

    kind = models.CharField(_("jenis"), max_length=10, choices=SourceKind.choices)
    name = models.CharField(_("nama"), max_length=500)
    format = models.CharField(_("format"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    owner = models.ForeignKey(
        "staff.Office",
        verbose_name=_("kantor pemilik"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kantor yang memasukkan sumber ini; kosong untuk pengumpulan otomatis."),
    )
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("pemilihan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )
    # A manual entry's screenshot, or a file uploaded through the web pages.
    attachment = models.FileField(_("lampiran"), upload_to="sources/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = _("sumber data")
        verbose_name_plural = _("sumber data")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256", "owner"],
                condition=Q(owner__isnull=False),
                name="source_unique_per_owner",
            ),
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(owner__isnull=True), name="source_unique_unowned"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> tuple[int | None, int | None]:
        """Whom the source is visible to: its owner and its election."""
        return (self.owner_id, self.election_id)


class RunStatus(models.TextChoices):
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


class IngestRun(models.Model):
    """One attempt at loading a source, with its counters and checkpoint.

    ``position`` counts the parsed records already committed; a run that was killed is
    taken up again from there, and its counters, written in the same transaction as each
    batch, end as those of an uninterrupted run. ``read = new + updated + duplicate +
    quarantined`` holds after every batch.
    """

    source = models.ForeignKey(
        Source, verbose_name=_("sumber"), on_delete=models.PROTECT, related_name="runs"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    position = models.PositiveBigIntegerField(_("posisi"), default=0)
    read = models.PositiveBigIntegerField(_("dibaca"), default=0)
    new = models.PositiveBigIntegerField(_("baru"), default=0)
    updated = models.PositiveBigIntegerField(_("diperbarui"), default=0)
    duplicate = models.PositiveBigIntegerField(_("duplikat"), default=0)
    quarantined = models.PositiveBigIntegerField(_("dikarantina"), default=0)
    # The same counters by record type: {"item": {"read": 3, "new": 2, ...}, ...}.
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        verbose_name = _("proses impor")
        verbose_name_plural = _("proses impor")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "status"], name="ingestrun_source_status")]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} ({self.get_status_display()})"


class ItemContent(models.Model):
    """What one source says of an item: its text, media, times, numbers and state, and the
    SHA-256 of the raw record it came from (an ``Item`` and each ``ItemVersion``)."""

    text = models.TextField(_("teks"), blank=True)
    title = models.CharField(_("judul"), max_length=500, blank=True)
    language = models.CharField(_("bahasa"), max_length=16, blank=True)
    media = models.JSONField(_("media"), default=list, blank=True)
    permalink = models.CharField(_("tautan"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("waktu unggah"), null=True, blank=True)
    collected_at = models.DateTimeField(_("waktu dikumpulkan"), null=True, blank=True)
    metrics = models.JSONField(_("angka"), default=dict, blank=True)
    deleted = models.BooleanField(_("dihapus"), default=False)
    withheld = models.BooleanField(_("ditahan"), default=False)
    reason = models.CharField(_("alasan"), max_length=500, blank=True)
    raw_sha256 = models.CharField(_("SHA-256 data mentah"), max_length=64)

    class Meta:
        abstract = True


class Item(ItemContent):
    """A post, comment, reply, share, quote or video, whatever platform it came from."""

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_id = models.CharField(_("ID platform"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=ItemKind.choices)
    author = models.ForeignKey(
        Account,
        verbose_name=_("penulis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,  # item_author_created serves it
    )
    # By platform id: a parent or root is often seen before, after or never.
    parent_platform_id = models.CharField(_("ID induk"), max_length=200, blank=True)
    root_platform_id = models.CharField(_("ID utas"), max_length=200, blank=True)
    # The source whose version the ItemContent columns hold. Only a source of the same scope
    # (owner and election) replaces them; a source of another scope keeps its version in
    # an ``ItemVersion``, so that no office rewrites what another office sees.
    shown_source = models.ForeignKey(
        Source,
        verbose_name=_("sumber yang ditampilkan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    first_seen_at = models.DateTimeField(_("pertama terlihat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("konten")
        verbose_name_plural = _("konten")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_id"], name="item_unique_id")
        ]
        indexes = [
            models.Index(fields=["platform", "root_platform_id"], name="item_thread"),
            # An item's comments, shares and quotes (the item page: 80 ms to 20 ms at 1M).
            models.Index(fields=["platform", "parent_platform_id"], name="item_parent"),
            # Ascending, read backwards for newest first: new items then land at the end
            # of each, where index pages fill whole instead of splitting in half.
            models.Index(fields=["author", "created_at"], name="item_author_created"),
            models.Index(fields=["created_at"], name="item_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.platform_id}"


class ItemProvenance(models.Model):
    """Where an item was read: its source, the place in it, and that record's raw bytes."""

    # Indexes: provenance_unique serves the item; the others are never searched by. Every
    # index costs the loader's hot path an insert.
    item = models.ForeignKey(
        Item,
        verbose_name=_("konten"),
        on_delete=models.CASCADE,
        related_name="provenance",
        db_index=False,
    )
    source = models.ForeignKey(
        Source, verbose_name=_("sumber"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    line = models.PositiveBigIntegerField(_("baris"), null=True, blank=True)
    offset = models.PositiveBigIntegerField(_("posisi (byte)"), null=True, blank=True)
    raw_sha256 = models.CharField(_("SHA-256 data mentah"), max_length=64)
    raw_block = models.ForeignKey(
        RawBlock,
        verbose_name=_("blok data mentah"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    raw_start = models.PositiveIntegerField(_("awal"))
    raw_length = models.PositiveIntegerField(_("panjang"))

    class Meta:
        verbose_name = _("asal konten")
        verbose_name_plural = _("asal konten")
        constraints = [models.UniqueConstraint(fields=["item", "source"], name="provenance_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.source_id}"


class ItemVersion(ItemContent):
    """An item as a source of another scope than the item's shown source gave it.

    The item's own columns are the version of its ``shown_source``; a source whose owner or
    election differs keeps its version here, and a page shows each user the newest version
    among the sources they may see (``netra.monitor.versions``).
    """

    item = models.ForeignKey(
        Item,
        verbose_name=_("konten"),
        on_delete=models.CASCADE,
        related_name="versions",
        db_index=False,  # itemversion_unique serves it
    )
    source = models.ForeignKey(
        Source, verbose_name=_("sumber"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    author = models.ForeignKey(
        Account,
        verbose_name=_("penulis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("versi konten")
        verbose_name_plural = _("versi konten")
        constraints = [
            models.UniqueConstraint(fields=["item", "source"], name="itemversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.source_id}"


class AccountSnapshot(models.Model):
    """An account's profile as one source showed it; a new row only when something changed."""

    account = models.ForeignKey(
        Account, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="snapshots"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("sumber"), on_delete=models.PROTECT, related_name="+"
    )
    seen_at = models.DateTimeField(_("terlihat"), null=True, blank=True)
    handle = models.CharField(_("nama akun"), max_length=200, blank=True)
    # None: the source did not say (a comment names its author, not their bio).
    display_name = models.CharField(  # noqa: DJ001 - None and "" differ here
        _("nama tampilan"), max_length=300, null=True, blank=True
    )
    bio = models.TextField(_("bio"), null=True, blank=True)  # noqa: DJ001
    followers = models.BigIntegerField(_("pengikut"), null=True, blank=True)
    following = models.BigIntegerField(_("mengikuti"), null=True, blank=True)
    posts = models.BigIntegerField(_("jumlah unggahan"), null=True, blank=True)
    deleted = models.BooleanField(_("dihapus"), default=False)
    withheld = models.BooleanField(_("ditahan"), default=False)
    reason = models.CharField(_("alasan"), max_length=500, blank=True)
    digest = models.CharField(_("sidik isi"), max_length=32)
    raw_block = models.ForeignKey(
        RawBlock,
        verbose_name=_("blok data mentah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raw_start = models.PositiveIntegerField(_("awal"), default=0)
    raw_length = models.PositiveIntegerField(_("panjang"), default=0)

    class Meta:
        verbose_name = _("riwayat profil akun")
        verbose_name_plural = _("riwayat profil akun")
        ordering = ["account", "-id"]

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.seen_at}"


class Interaction(models.Model):
    """One account acting on an item or an account, with when it was first and last seen.

    Platforms give no time for a like or a follow: ``occurred_at`` is set only when the
    source says; ``first_seen_at`` and ``last_seen_at`` bound when it was observed.
    ``key`` is the item it happened in or to, then a digest of what makes an interaction
    the same one (platform, actor, kind, reaction, target, and the item a mention was made
    in); unique, so loading is an upsert.
    """

    key = models.CharField(_("kunci"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=InteractionKind.choices)
    reaction_type = models.CharField(_("jenis reaksi"), max_length=40, blank=True)
    actor = models.ForeignKey(
        Account,
        verbose_name=_("pelaku"),
        on_delete=models.PROTECT,
        related_name="interactions",
        db_index=False,  # interaction_actor serves it
    )
    target_item_platform_id = models.CharField(_("ID konten sasaran"), max_length=200, blank=True)
    target_account = models.ForeignKey(
        Account,
        verbose_name=_("akun sasaran"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions_received",
        db_index=False,  # interaction_target_account serves it
    )
    via_item_platform_id = models.CharField(_("lewat konten"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("waktu kejadian"), null=True, blank=True)
    first_seen_at = models.DateTimeField(_("pertama terlihat"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("terakhir terlihat"), null=True, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("sumber pertama"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("interaksi")
        verbose_name_plural = _("interaksi")
        indexes = [
            models.Index(fields=["platform", "target_item_platform_id"], name="interaction_item"),
            models.Index(fields=["actor", "kind"], name="interaction_actor"),
            models.Index(fields=["target_account"], name="interaction_target_account"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.actor_id} {self.kind} {self.target_item_platform_id or self.target_account_id}"
        )


class QuarantinedRecord(models.Model):
    """A record that could not be read, kept with where it is and why, until fixed."""

    source = models.ForeignKey(
        Source, verbose_name=_("sumber"), on_delete=models.PROTECT, related_name="quarantine"
    )
    run = models.ForeignKey(
        IngestRun, verbose_name=_("proses"), on_delete=models.PROTECT, related_name="+"
    )
    # The record's place in the parsed stream: a second load of the file adds no row.
    position = models.PositiveBigIntegerField(_("urutan"))
    line = models.PositiveBigIntegerField(_("baris"), null=True, blank=True)
    offset = models.PositiveBigIntegerField(_("posisi (byte)"), null=True, blank=True)
    path = models.CharField(_("lokasi"), max_length=300, blank=True)
    reason = models.TextField(_("alasan"))
    raw = models.BinaryField(_("data mentah"), blank=True)
    resolved_by = models.ForeignKey(
        IngestRun,
        verbose_name=_("diselesaikan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolved",
    )

    class Meta:
        verbose_name = _("rekaman karantina")
        verbose_name_plural = _("rekaman karantina")
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="quarantine_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.position} {self.reason[:60]}"


class Watchlist(TimeStamped):
    """What live collection follows for one election on one platform.

    ``accounts`` are the subjects' and candidates' accounts to read; ``queries`` are
    keyword and hashtag searches (built from the candidates' names and aliases).
    """

    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("pemilihan"),
        on_delete=models.CASCADE,
        related_name="watchlists",
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    accounts = models.ManyToManyField(
        Account, verbose_name=_("akun"), blank=True, related_name="watchlists"
    )
    queries = models.JSONField(_("kueri"), default=list, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("daftar pantau")
        verbose_name_plural = _("daftar pantau")
        constraints = [
            models.UniqueConstraint(fields=["election", "platform"], name="watchlist_unique")
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.get_platform_display()}"


class CollectionCursor(models.Model):
    """Where live collection stopped for one endpoint and target, so a restart resumes.

    ``cursor`` is the platform's next-page token of a walk in progress (empty when the walk
    is done); ``newest_id`` the newest item already read, for the next walk's ``since_id``;
    ``not_before`` when the platform may be asked again (after a 429 or a 5xx).
    """

    watchlist = models.ForeignKey(
        Watchlist, verbose_name=_("daftar pantau"), on_delete=models.CASCADE, related_name="cursors"
    )
    endpoint = models.CharField(_("titik akhir"), max_length=60)
    target = models.CharField(_("sasaran"), max_length=300)
    cursor = models.TextField(_("penanda halaman"), blank=True)
    newest_id = models.CharField(_("ID terbaru"), max_length=200, blank=True)
    not_before = models.DateTimeField(_("jangan sebelum"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("status terakhir"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("gagal berturut-turut"), default=0)
    error = models.TextField(_("galat terakhir"), blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("penanda pengumpulan")
        verbose_name_plural = _("penanda pengumpulan")
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "endpoint", "target"], name="cursor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.watchlist_id} {self.endpoint} {self.target}"


class CollectorToken(TimeStamped):
    """A secret that lets one collector push batches to the API; only its hash is kept."""

    name = models.CharField(_("nama"), max_length=200)
    token_sha256 = models.CharField(_("SHA-256 token"), max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=12)
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("pemilihan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("aktif"), default=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token kolektor")
        verbose_name_plural = _("token kolektor")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
