"""Supervisors' decisions on flags as labelled examples for ``netra model train``."""

from __future__ import annotations

from netra.detection.classify import item_text
from netra.detection.corpus import Example, LabelledSet
from netra.detection.lexicon import lexicon_for
from netra.detection.models import ContentVerdict, Flag, FlagKind
from netra.detection.verdict import ContentClass, Stance
from netra.elections.models import Election
from netra.social.models import Item


def decided_examples() -> LabelledSet:
    """The decisions of supervisors as labelled examples (``netra model train``).

    A confirmed flag says its content is campaign (with the stance and target its verdict
    gave); a flag dismissed because of its content says what the content is instead
    (``Flag.content_label``). The content is the item whose verdict made the flag: the
    flag's item, or the post it replies to or shares when only that one was campaign. One
    example per item and election, from the latest decision on it."""
    decided = (
        Flag.objects.filter(kind=FlagKind.ACT, item__isnull=False)
        .exclude(content_label="")
        .order_by("decided_at", "pk")
        .values_list("pk", "election_id", "item_id", "content_label")
    )
    chosen: dict[tuple[int, int], tuple[str, int]] = {}
    for flag_id, election_id, item_id, label in decided:
        content = _campaign_item(election_id, item_id)
        if content is not None:
            chosen[(content, election_id)] = (label, flag_id)
    verdicts = {
        (v.item_id, v.election_id): v
        for v in ContentVerdict.objects.filter(
            item_id__in={item for item, _election in chosen}
        ).select_related("item")
    }
    elections = {e.pk: e for e in Election.objects.filter(pk__in={e for _i, e in chosen})}
    examples = []
    for (item_id, election_id), (label, flag_id) in sorted(chosen.items()):
        verdict = verdicts.get((item_id, election_id))
        if verdict is None:
            continue
        campaign = label == ContentClass.CAMPAIGN
        target = verdict.explanation.get("target") if campaign else None
        examples.append(
            Example(
                id=f"decision-{flag_id}",
                election=elections[election_id].slug,
                text=item_text(verdict.item.title, verdict.item.text),
                content_class=ContentClass(label),
                stance=Stance(verdict.stance) if campaign else Stance.NEUTRAL,
                target=int(target) if campaign and target is not None else None,
                tags=("decision",),
                platform=verdict.item.platform,
            )
        )
    lexicons = {election.slug: lexicon_for(election) for election in elections.values()}
    return LabelledSet("decisions", tuple(examples), lexicons)


def _campaign_item(election_id: int, item_id: int) -> int | None:
    """``item_id`` when its verdict for the election is campaign, else the item it replies
    to or shares when that one's is; None when neither (the verdict changed since)."""
    own = ContentVerdict.objects.filter(item_id=item_id, election_id=election_id).first()
    if own is not None and own.content_class == ContentClass.CAMPAIGN:
        return item_id
    item = Item.objects.filter(pk=item_id).values_list("platform", "parent_platform_id").first()
    if item is None or not item[1]:
        return item_id if own is not None else None
    parent = (
        ContentVerdict.objects.filter(
            election_id=election_id,
            content_class=ContentClass.CAMPAIGN,
            item__platform=item[0],
            item__platform_id=item[1],
        )
        .values_list("item_id", flat=True)
        .first()
    )
    return parent if parent is not None else (item_id if own is not None else None)
