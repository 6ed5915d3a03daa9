"""The dossier as Markdown: what a journalist reads in a terminal or pastes into a note."""

from __future__ import annotations

from parallax.model import Dossier
from parallax.report.views import STATUS_TITLES, DossierView


def md_escape(text: str) -> str:
    """Article text made inert in Markdown: no raw HTML, no table breaks, one line."""
    return (
        " ".join(text.split())
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
    )


def to_markdown(dossier: Dossier) -> str:
    """Every section of the dossier as Markdown, each line pointing at its article and span."""
    view = DossierView.of(dossier)
    out: list[str] = [f"# {md_escape(view.title())}", "", f"Story `{dossier.story}`", ""]

    out += ["## Articles", "", "| id | outlet | title | published |", "|---|---|---|---|"]
    for a in dossier.articles:
        out.append(
            f"| `{a.id}` | {md_escape(a.outlet or '—')} | {md_escape(a.title or '')} "
            f"| {a.published or ''} |"
        )
    out.append("")

    for status in ("corroborated", "contested"):
        claims = view.claims_by_status[status]
        out += [f"## {STATUS_TITLES[status]} ({len(claims)})", ""]
        for claim in claims:
            out += _claim_lines(view, claim)
    out += [
        f"## {STATUS_TITLES['single_source']} ({len(view.claims_by_status['single_source'])})",
        "",
    ]
    for article in dossier.articles:
        claims = view.single_by_article.get(article.id, [])
        if not claims:
            continue
        out += [f"### Only in {md_escape(view.labels[article.id])}", ""]
        for claim in claims:
            mention = claim.mentions[0]
            speaker = view.actor(claim.speaker)
            who = f" — *{md_escape(speaker)}*" if speaker else ""
            out.append(f"- {md_escape(mention.text)}{who} `[{mention.span[0]}:{mention.span[1]}]`")
        out.append("")

    if dossier.conflicts:
        out += ["## Conflicts", ""]
        for conflict in dossier.conflicts:
            out.append(f"- **{conflict.kind}** — {md_escape(conflict.about)}")
            for side in conflict.sides:
                holders = ", ".join(view.actor(h) or h for h in side.holders)
                where = ", ".join(view.labels.get(a, a) for a in side.articles)
                held = f" held by {md_escape(holders)}" if holders else ""
                out.append(
                    f"  - {md_escape(side.text)}{held} ({md_escape(where)}; "
                    f"claims {', '.join(side.claims)})"
                )
        out.append("")

    if dossier.relations:
        out += ["## Related claims", ""]
        claims = {c.id: c for c in dossier.claims}
        for relation in dossier.relations:
            out.append(
                f"- **{' ↔ '.join(relation.claims)}** ({relation.kind}: {md_escape(relation.note)})"
            )
            for claim_id in relation.claims:
                claim = claims[claim_id]
                where = ", ".join(view.labels.get(m.article, m.article) for m in claim.mentions)
                out.append(f"  - {claim_id}: {md_escape(claim.text)} ({md_escape(where)})")
        out.append("")

    if dossier.attributions:
        out += ["## Who said what", ""]
        for a in dossier.attributions:
            speaker = view.actor(a.speaker) or a.speaker_text or "unnamed source"
            out.append(
                f"- **{md_escape(speaker)}** ({a.stance}, {a.kind}, cue “{md_escape(a.cue)}”, "
                f"{md_escape(view.labels.get(a.article, a.article))} "
                f"`[{a.span[0]}:{a.span[1]}]`): {md_escape(a.content)}"
            )
        out.append("")

    framed = [actor for actor in dossier.actors if actor.descriptors]
    if framed:
        out += ["## How each outlet names the actors", ""]
        for actor in framed:
            out.append(f"- **{md_escape(actor.name)}**")
            for article_id, phrases in actor.descriptors.items():
                joined = "; ".join(f"“{md_escape(p)}”" for p in phrases)
                out.append(f"  - {md_escape(view.labels.get(article_id, article_id))}: {joined}")
        out.append("")

    if dossier.hedges:
        out += ["## Evidence markers", ""]
        for hedge in dossier.hedges:
            target = f" (on claim {hedge.applies_to})" if hedge.applies_to else ""
            out.append(
                f"- {md_escape(view.labels.get(hedge.article, hedge.article))}: "
                f"“{md_escape(hedge.text)}”{target} `[{hedge.span[0]}:{hedge.span[1]}]`"
            )
        out.append("")

    if dossier.sources_cited:
        out += ["## Sources cited", ""]
        for source in dossier.sources_cited:
            where = ", ".join(view.labels.get(a, a) for a in source.articles)
            out.append(f"- **{md_escape(source.name)}** — {md_escape(where)}")
        out.append("")

    if dossier.timeline:
        out += ["## Timeline", ""]
        for entry in dossier.timeline:
            where = ", ".join(view.labels.get(a, a) for a in entry.articles)
            out.append(
                f"- **{md_escape(entry.date)}** — {md_escape(entry.text)} ({md_escape(where)})"
            )
        out.append("")

    dropped = [(a, b) for a in dossier.articles for b in a.boilerplate]
    if dropped:
        out += ["## Boilerplate left out", ""]
        for article, line in dropped:
            out.append(
                f"- {md_escape(view.labels[article.id])} ({line.reason}): {md_escape(line.text)}"
            )
        out.append("")
    return "\n".join(out)


def _claim_lines(view: DossierView, claim) -> list[str]:
    speaker = view.actor(claim.speaker)
    who = f" — *{md_escape(speaker)}*" if speaker else ""
    lines = [f"**{claim.id}.** {md_escape(claim.text)}{who}", ""]
    for mention in claim.mentions:
        label = view.labels.get(mention.article, mention.article)
        lines.append(
            f"- **{md_escape(label)}**: “{md_escape(mention.text)}” "
            f"`[{mention.span[0]}:{mention.span[1]}]`"
        )
    lines.append("")
    return lines
