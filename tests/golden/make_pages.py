"""Build the golden pages and their true-value JSON from designed cases: python -m tests.golden.make_pages tests/golden

The expected values are the ones designed into each page (not extractor output). Re-running resets
``known_wrong``; tests/golden/regenerate.py refreshes expected JSON from the extractor for review.
"""
from __future__ import annotations
import html, json, random, sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = Path(sys.argv[1])
E = html.escape

BANK = {
 "en": ["The city council voted late on Tuesday to approve the new transport budget after months of debate.",
        "Officials said the plan would add three bus lines and repair two bridges before the winter.",
        "Opposition members argued that the costs had been underestimated and asked for an independent review.",
        "Residents who attended the meeting were divided, with several speakers praising the bus expansion.",
        "The mayor told reporters that construction could begin as early as next spring if contracts are signed.",
        "Analysts noted that the region has struggled with congestion for more than a decade.",
        "A spokesperson for the transport authority declined to comment on the timetable.",
        "The final vote was seven to two, with one member abstaining."],
 "de": ["Der Stadtrat hat am Dienstagabend den neuen Verkehrshaushalt nach monatelanger Debatte beschlossen.",
        "Nach Angaben der Verwaltung sollen drei neue Buslinien entstehen und zwei Brücken saniert werden.",
        "Die Opposition kritisierte, die Kosten seien zu niedrig angesetzt, und forderte ein unabhängiges Gutachten.",
        "Die Bürgerinnen und Bürger im Saal zeigten sich gespalten, viele lobten jedoch den Ausbau des Busnetzes.",
        "Der Oberbürgermeister sagte, die Bauarbeiten könnten bereits im kommenden Frühjahr beginnen.",
        "Fachleute weisen darauf hin, dass die Region seit mehr als zehn Jahren mit Staus zu kämpfen hat.",
        "Ein Sprecher der Verkehrsbetriebe wollte sich zum Zeitplan nicht äußern.",
        "Die Abstimmung endete mit sieben zu zwei Stimmen bei einer Enthaltung."],
 "fr": ["Le conseil municipal a adopté mardi soir le nouveau budget des transports après des mois de débat.",
        "Selon la mairie, le plan prévoit trois nouvelles lignes de bus et la rénovation de deux ponts avant l'hiver.",
        "L'opposition estime que les coûts ont été sous-estimés et réclame une expertise indépendante.",
        "Les habitants présents étaient partagés, plusieurs saluant toutefois l'extension du réseau de bus.",
        "Le maire a indiqué que les travaux pourraient commencer dès le printemps prochain.",
        "Les spécialistes rappellent que la région souffre d'embouteillages depuis plus de dix ans.",
        "Un porte-parole de la régie des transports n'a pas souhaité commenter le calendrier.",
        "Le vote final s'est conclu par sept voix contre deux et une abstention."],
 "es": ["El ayuntamiento aprobó el martes por la noche el nuevo presupuesto de transporte tras meses de debate.",
        "Según el consistorio, el plan incluye tres nuevas líneas de autobús y la reparación de dos puentes.",
        "La oposición sostiene que los costes se han subestimado y pide una auditoría independiente.",
        "Los vecinos que asistieron al pleno estaban divididos, aunque muchos celebraron la ampliación.",
        "El alcalde explicó que las obras podrían comenzar la próxima primavera si se firman los contratos.",
        "Los expertos recuerdan que la región sufre atascos desde hace más de una década.",
        "Un portavoz de la empresa de transportes declinó comentar el calendario.",
        "La votación final terminó con siete votos a favor, dos en contra y una abstención."],
 "it": ["Il consiglio comunale ha approvato martedì sera il nuovo bilancio dei trasporti dopo mesi di discussione.",
        "Secondo il comune, il piano prevede tre nuove linee di autobus e il restauro di due ponti.",
        "L'opposizione sostiene che i costi siano stati sottostimati e chiede una perizia indipendente.",
        "I cittadini presenti erano divisi, ma molti hanno apprezzato l'ampliamento della rete.",
        "Il sindaco ha detto che i lavori potrebbero iniziare già la prossima primavera.",
        "Gli esperti ricordano che la regione soffre di traffico da oltre dieci anni.",
        "Un portavoce dell'azienda dei trasporti non ha voluto commentare i tempi.",
        "Il voto finale si è chiuso con sette voti favorevoli, due contrari e un astenuto."],
 "pt": ["A câmara municipal aprovou na terça-feira à noite o novo orçamento dos transportes após meses de debate.",
        "Segundo a prefeitura, o plano prevê três novas linhas de ônibus e a reforma de duas pontes.",
        "A oposição afirma que os custos foram subestimados e pede uma auditoria independente.",
        "Os moradores presentes ficaram divididos, mas muitos elogiaram a ampliação da rede.",
        "O prefeito disse que as obras podem começar já na próxima primavera.",
        "Especialistas lembram que a região sofre com congestionamentos há mais de uma década.",
        "Um porta-voz da empresa de transportes não quis comentar o cronograma.",
        "A votação final terminou com sete votos a favor, dois contra e uma abstenção."],
 "nl": ["De gemeenteraad heeft dinsdagavond na maanden van discussie de nieuwe vervoersbegroting goedgekeurd.",
        "Volgens de gemeente komen er drie nieuwe buslijnen en worden twee bruggen gerenoveerd.",
        "De oppositie vindt dat de kosten zijn onderschat en vraagt om een onafhankelijk onderzoek.",
        "De aanwezige inwoners waren verdeeld, al prezen velen de uitbreiding van het busnet.",
        "De burgemeester zei dat de bouw volgend voorjaar kan beginnen als de contracten rond zijn.",
        "Deskundigen wijzen erop dat de regio al meer dan tien jaar met files kampt.",
        "Een woordvoerder van het vervoersbedrijf wilde niet ingaan op de planning.",
        "De eindstemming eindigde met zeven stemmen voor, twee tegen en één onthouding."],
}
MONTHS = {
 "en": "January February March April May June July August September October November December".split(),
 "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
 "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
 "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
 "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
 "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
 "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
}

def human_date(d: datetime, lang: str) -> str:
    m = MONTHS[lang][d.month - 1]
    return {"en": f"{m} {d.day}, {d.year}", "de": f"{d.day}. {m} {d.year}", "fr": f"{d.day} {m} {d.year}",
            "es": f"{d.day} de {m} de {d.year}", "it": f"{d.day} {m} {d.year}", "pt": f"{d.day} de {m} de {d.year}",
            "nl": f"{d.day} {m} {d.year}"}[lang]

def human_time(d: datetime, lang: str) -> str:
    if lang == "en":
        h = d.hour % 12 or 12
        return f"{h}:{d.minute:02d} {'a.m.' if d.hour < 12 else 'p.m.'}"
    if lang in ("fr", "pt"):
        return f"{d.hour}h{d.minute:02d}"
    if lang == "de":
        return f"{d.hour:02d}:{d.minute:02d} Uhr"
    return f"{d.hour:02d}:{d.minute:02d}"

def tz(h: float) -> timezone:
    return timezone(timedelta(hours=h))

def dt(s: str, off: float | None = 0) -> datetime:
    d = datetime.fromisoformat(s)
    return d.replace(tzinfo=tz(off)) if off is not None else d

def iso(d: datetime, *, millis=False, z=False) -> str:
    if z:
        d = d.astimezone(timezone.utc)
        return d.strftime("%Y-%m-%dT%H:%M:%S") + (".123" if millis else "") + "Z"
    s = d.isoformat(timespec="milliseconds" if millis else "seconds")
    return s

def offset_of(d: datetime) -> str | None:
    if d.tzinfo is None:
        return None
    o = d.utcoffset(); total = int(o.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"; total = abs(total)
    return f"{sign}{total // 60:02d}:{total % 60:02d}"

def truth(d: datetime | None, precision: str | None, source: str | None, *, naive_offset=None):
    if d is None:
        return {"at": None, "source": None, "precision": None, "offset": None}
    if precision == "day":
        return {"at": d.strftime("%Y-%m-%d"), "source": source, "precision": "day", "offset": None}
    u = d if d.tzinfo else d.replace(tzinfo=timezone.utc)
    u = u.astimezone(timezone.utc)
    if precision == "minute":
        u = u.replace(second=0)
    return {"at": u.strftime("%Y-%m-%dT%H:%M:%SZ"), "source": source, "precision": precision, "offset": offset_of(d)}

@dataclass
class Case:
    name: str
    lang: str
    site: str
    title: str
    authors: list[str]
    pub: datetime | None
    mod: datetime | None = None
    host: str = "news.example"
    seed: int = 0
    pub_t: dict = field(default_factory=dict)   # truth override
    mod_t: dict = field(default_factory=dict)
    title_source: str = "json-ld"
    author_source: str | None = "json-ld"
    last_modified: str | None = None
    hints: dict = field(default_factory=dict)
    known_wrong: dict = field(default_factory=dict)
    path: str | None = None        # the URL's path when it is not /<lang>/2024/<name>
    html_lang: str | None = None   # <html lang> when it is not the language of the text

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path or f'/{self.lang}/2024/{self.name}'}"

    def paras(self) -> list[str]:
        rng = random.Random(self.name)
        bank = BANK[self.lang]
        out = []
        for i in range(5):
            out.append(" ".join(rng.sample(bank, 3)))
        return out

READ_ALSO = {"en": "Read also", "de": "Lesen Sie auch", "fr": "Lire aussi", "es": "Lea también", "it": "Leggi anche", "pt": "Leia mais", "nl": "Lees ook"}
SHARE = {"en": "Share this article", "de": "Artikel teilen", "fr": "Partager cet article", "es": "Compartir este artículo", "it": "Condividi questo articolo", "pt": "Compartilhe esta notícia", "nl": "Deel dit artikel"}

def inline_noise(c: Case, i: int) -> str:
    """Chrome that CMSs put *inside* the article body; never part of the true text."""
    kind = (len(c.name) + i) % 4
    if i == 1:
        return f'<p class="read-also"><strong>{READ_ALSO[c.lang]}:</strong> <a href="/a/7">Harbour bridge repairs delayed again as costs climb past estimates</a></p>'
    if i == 2 and kind in (0, 1):
        return '<figure class="inline-image"><img src="/i/council.jpg" alt="Council chamber"><figcaption>The council chamber before Tuesday evening session began (Photo: Archive)</figcaption></figure>'
    if i == 3 and kind in (1, 2):
        return (f'<div class="inline-related"><h3>{RELATED[c.lang]}</h3><ul><li><a href="/a/8">Ticket prices to rise in January for all zones</a></li>'
                '<li><a href="/a/9">Opinion: the bus network needs more than new lines</a></li></ul></div>')
    if i == 0 and kind == 3:
        return ('<div class="most-read"><h3>Most read</h3><p><a href="/m/1">Five things to know about the new ticket prices this winter</a></p>'
                '<p><a href="/m/2">Harbour festival announces its full line-up for the summer</a></p></div>')
    if i == 2 and kind == 2:
        return ('<ul class="links"><li><a href="/a">Council approves new parking rules for the old town</a></li>'
                '<li><a href="/b">Bus drivers vote to accept pay offer after long talks</a></li></ul>')
    if i == 3 and kind == 0:
        return ('<blockquote class="twitter-tweet"><p lang="en">Big night at city hall tonight. Vote expected around ten.</p>'
                '&mdash; Newsdesk (@newsdesk) <a href="https://twitter.com/newsdesk/status/1">January 5, 2024</a></blockquote>')
    if i == 4:
        return f'<div class="share-tools"><span>{SHARE[c.lang]}</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>'
    return ""

def body_html(c: Case, wrap="div", cls="article-body", attrs="") -> str:
    parts = []
    for i, p in enumerate(c.paras()):
        parts.append(f"<p>{E(p)}</p>")
        if noise := inline_noise(c, i):
            parts.append(noise)
    return f'<{wrap} class="{cls}" {attrs}>\n' + "\n".join(parts) + f"\n</{wrap}>"

RELATED = {"en": "Related stories", "de": "Mehr zum Thema", "fr": "À lire aussi", "es": "Te puede interesar",
           "it": "Leggi anche", "pt": "Leia também", "nl": "Lees ook"}

def chrome_top(c: Case) -> str:
    return f"""<header class="site-header"><a class="logo" href="/">{E(c.site)}</a>
<nav><ul><li><a href="/politics">Politics</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="ad-slot" data-ad="top">Advertisement</div>"""

def chrome_bottom(c: Case) -> str:
    rel = RELATED[c.lang]
    return f"""<aside class="related"><h2>{rel}</h2><ul>
<li><a href="/a/1">Mayor unveils plan for new cycle lanes across the city centre</a></li>
<li><a href="/a/2">Why the harbour bridge repairs are running two years late</a></li>
<li><a href="/a/3">Live: council budget debate as it happened</a></li></ul></aside>
<div class="newsletter">Get our morning briefing in your inbox. <a href="/newsletter">Sign up</a></div>
<footer class="site-footer"><p>© 2024 {E(c.site)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a></footer>"""

def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False, indent=1)}</script>'

def person(n, url=None, **kw):
    d = {"@type": "Person", "name": n}
    if url: d["url"] = url
    d.update(kw); return d

def doc(c: Case, head: str, body: str, *, title_tag: str | None = None) -> str:
    t = title_tag if title_tag is not None else f"{c.title} | {c.site}"
    return f"""<!DOCTYPE html>
<html lang="{c.html_lang or c.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(t)}</title>
{head}
</head><body>
{chrome_top(c)}
{body}
{chrome_bottom(c)}
</body></html>
"""

# ---------------------------------------------------------------- CMS templates
def wordpress_yoast(c: Case, *, og_suffix=" - ", byline_prefix="by") -> str:
    pid = f"https://{c.host}/#/schema/person/{abs(hash(c.authors[0])) % 10**8 if c.authors else 0}"
    people = [{"@type": "Person", "@id": f"https://{c.host}/#/schema/person/{i}", "name": a,
               "url": f"https://{c.host}/author/{a.lower().replace(' ', '-')}/"} for i, a in enumerate(c.authors)]
    art = {"@type": "Article", "@id": c.url + "#article", "isPartOf": {"@id": c.url},
           "author": [{"@id": p["@id"]} for p in people] if len(people) != 1 else {"name": people[0]["name"], "@id": people[0]["@id"]},
           "headline": c.title, "datePublished": iso(c.pub), "mainEntityOfPage": {"@id": c.url},
           "wordCount": 412, "publisher": {"@id": f"https://{c.host}/#organization"}, "inLanguage": c.lang}
    if c.mod: art["dateModified"] = iso(c.mod)
    page = {"@type": "WebPage", "@id": c.url, "url": c.url, "name": f"{c.title} - {c.site}",
            "datePublished": iso(c.pub), "dateModified": iso(c.mod or c.pub), "breadcrumb": {"@id": c.url + "#breadcrumb"}}
    graph = {"@context": "https://schema.org", "@graph": [art, page,
             {"@type": "BreadcrumbList", "@id": c.url + "#breadcrumb", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Home", "item": f"https://{c.host}/"}]},
             {"@type": "Organization", "@id": f"https://{c.host}/#organization", "name": c.site, "url": f"https://{c.host}/"}, *people]}
    metas = [f'<meta property="og:locale" content="{c.lang}_{c.lang.upper()}">', '<meta property="og:type" content="article">',
             f'<meta property="og:title" content="{E(c.title + og_suffix + c.site)}">', f'<meta property="og:url" content="{c.url}">',
             f'<meta property="og:site_name" content="{E(c.site)}">', f'<meta property="article:published_time" content="{iso(c.pub)}">']
    if c.mod: metas.append(f'<meta property="article:modified_time" content="{iso(c.mod)}">')
    if c.authors: metas.append(f'<meta name="author" content="{E(c.authors[0])}">')
    metas += ['<meta name="twitter:card" content="summary_large_image">', '<meta name="twitter:label1" content="Written by">',
              f'<meta name="twitter:data1" content="{E(c.authors[0]) if c.authors else ""}">',
              '<meta name="twitter:label2" content="Est. reading time">', '<meta name="twitter:data2" content="3 minutes">']
    head = "\n".join(metas) + '\n<!-- This site is optimized with the Yoast SEO plugin v22.1 -->\n' + f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(graph, ensure_ascii=False)}</script>'
    head += "\n<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css?ver=6.4.3' media='all' />"
    times = f'<time class="entry-date published" datetime="{iso(c.pub)}">{human_date(c.pub, c.lang)}</time>'
    if c.mod: times += f'<time class="updated" datetime="{iso(c.mod)}">{human_date(c.mod, c.lang)}</time>'
    by = " ".join(f'<span class="author vcard"><a class="url fn n" href="/author/x/">{E(a)}</a></span>' for a in c.authors)
    comments = f"""<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on &ldquo;{E(c.title)}&rdquo;</h2>
<ol class="comment-list"><li class="comment"><article class="comment-body"><footer class="comment-meta"><b class="fn">Pat</b> <time datetime="2024-11-02T09:12:00+00:00">November 2, 2024 at 9:12 am</time></footer>
<div class="comment-content"><p>Great piece, thanks for covering the meeting.</p></div></article></li></ol></div>"""
    body = f"""<div id="page" class="site"><main id="main" class="site-main">
<article id="post-4821" class="post-4821 post type-post status-publish format-standard hentry category-news">
<header class="entry-header"><h1 class="entry-title">{E(c.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{c.url}" rel="bookmark">{times}</a></span><span class="byline"> {byline_prefix} {by}</span></div></header>
{body_html(c, cls="entry-content")}
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/news/" rel="category tag">News</a></span></footer>
</article>
{comments}
</main><aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/x">Harbour festival returns</a> <span class="post-date">November 20, 2024</span></li></ul></section></aside></div>"""
    return doc(c, head, body, title_tag=f"{c.title} - {c.site}")

def arc_xp(c: Case, *, visible_update=True) -> str:
    art = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title,
           "datePublished": iso(c.pub, millis=True, z=True), "author": [person(a, f"https://{c.host}/people/{a.lower().replace(' ', '-')}/") for a in c.authors],
           "publisher": {"@type": "NewsMediaOrganization", "name": c.site, "logo": {"@type": "ImageObject", "url": f"https://{c.host}/logo.png"}},
           "isAccessibleForFree": True, "mainEntityOfPage": c.url, "description": "The council voted on the transport budget."}
    if c.mod: art["dateModified"] = iso(c.mod, millis=True, z=True)
    fusion = {"_id": "ABCD1234", "type": "story", "headlines": {"basic": c.title}, "credits": {"by": [{"name": a, "type": "author"} for a in c.authors]},
              "first_publish_date": iso(c.pub, millis=True, z=True), "display_date": iso(c.pub, millis=True, z=True),
              "last_updated_date": iso((c.mod or c.pub) + timedelta(minutes=3), millis=True, z=True), "publish_date": iso((c.mod or c.pub) + timedelta(minutes=3), millis=True, z=True)}
    head = (f'<meta property="og:title" content="{E(c.title)}">\n<meta property="og:site_name" content="{E(c.site)}">\n'
            f'<meta property="og:type" content="article">\n<meta name="article:published_time" content="{iso(c.pub, z=True)}">\n'
            + ld(art) + f'\n<script type="application/javascript" id="fusion-metadata">window.Fusion=window.Fusion||{{}};Fusion.arcSite="site";Fusion.deployment="1234";Fusion.globalContent={json.dumps(fusion)};Fusion.lastModified=1732000000000;</script>')
    names = " and ".join(f'<a href="/people/x/" rel="author">{E(a)}</a>' for a in c.authors)
    upd = ""
    if c.mod and visible_update:
        local = c.mod.astimezone(tz(-5))
        upd = f'<span class="display-date">Updated {human_date(local, "en")} at {human_time(local, "en")} EST</span>'
    body = f"""<div id="fusion-app"><main><article class="article">
<h1 class="headline" data-testid="headline">{E(c.title)}</h1>
<div class="byline" data-qa="author-byline">By {names}</div>
<div class="timestamp">{upd}</div>
<figure><img src="/img.jpg" alt=""><figcaption>Council members during the vote on Tuesday. (Photo: Staff)</figcaption></figure>
{body_html(c, cls="article-body", attrs='data-qa="article-body"')}
</article></main></div>"""
    return doc(c, head, body, title_tag=f"{c.title} - {c.site}")

def drupal(c: Case, *, rfc_meta=True, og_dates=True) -> str:
    from email.utils import format_datetime
    fmt = (lambda d: format_datetime(d)) if rfc_meta else iso
    metas = [f'<meta property="og:site_name" content="{E(c.site)}">', f'<meta property="og:title" content="{E(c.title)}">',
             '<meta name="Generator" content="Drupal 7 (http://drupal.org)">']
    if og_dates:
        metas.append(f'<meta property="article:published_time" content="{fmt(c.pub)}">')
        if c.mod: metas.append(f'<meta property="article:modified_time" content="{fmt(c.mod)}">')
    head = "\n".join(metas)
    by = ", ".join(f'<span rel="sioc:has_creator"><a href="/user/12" title="View user profile." class="username" xml:lang="" about="/user/12" typeof="sioc:UserAccount" property="foaf:name" datatype="">{E(a)}</a></span>' for a in c.authors)
    body = f"""<div id="page-wrapper"><div id="main"><div id="content" class="column">
<h1 class="title" id="page-title">{E(c.title)}</h1>
<div id="node-118" class="node node-article node-promoted clearfix" about="/node/118" typeof="sioc:Item foaf:Document">
<span property="dc:title" content="{E(c.title)}" class="rdf-meta element-hidden"></span>
<div class="submitted"><span property="dc:date dc:created" content="{iso(c.pub)}" datatype="xsd:dateTime">Submitted by {by} on {c.pub.strftime('%a, %m/%d/%Y - %H:%M')}</span></div>
<div class="content"><div class="field field-name-body field-type-text-with-summary"><div class="field-items"><div class="field-item even" property="content:encoded">
{body_html(c, cls="body-text")}
</div></div></div></div>
<ul class="links inline"><li class="comment-add first last"><a href="/comment/reply/118#comment-form">Add new comment</a></li></ul>
</div></div></div></div>"""
    return doc(c, head, body)

def ghost(c: Case) -> str:
    a = c.authors[0]
    art = {"@context": "https://schema.org", "@type": "Article", "publisher": {"@type": "Organization", "name": c.site, "url": f"https://{c.host}/"},
           "author": {"@type": "Person", "name": a, "image": {"@type": "ImageObject", "url": "/content/images/a.jpg"}, "url": f"https://{c.host}/author/{a.split()[0].lower()}/",
                      "sameAs": [f"https://x.com/{a.split()[0].lower()}"]},
           "headline": c.title, "url": c.url, "datePublished": iso(c.pub, millis=True),
           "image": {"@type": "ImageObject", "url": "/content/images/cover.jpg", "width": 1200, "height": 800},
           "description": "Notes on the council vote.", "mainEntityOfPage": c.url}
    if c.mod: art["dateModified"] = iso(c.mod, millis=True)
    head = (f'<meta name="generator" content="Ghost 5.80">\n<meta property="og:site_name" content="{E(c.site)}">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{E(c.title)}">\n<meta property="article:published_time" content="{iso(c.pub, millis=True)}">\n'
            + (f'<meta property="article:modified_time" content="{iso(c.mod, millis=True)}">\n' if c.mod else "")
            + f'<meta name="twitter:label1" content="Written by">\n<meta name="twitter:data1" content="{E(a)}">\n' + ld(art))
    body = f"""<div class="site"><main id="site-main" class="site-main"><article class="article post">
<header class="article-header gh-canvas"><h1 class="article-title">{E(c.title)}</h1>
<div class="article-byline"><div class="article-byline-meta"><h4 class="author-name"><a href="/author/x/">{E(a)}</a></h4>
<div class="byline-meta-content"><time class="byline-meta-date" datetime="{c.pub.strftime('%Y-%m-%d')}">{c.pub.strftime('%-d %b %Y')}</time><span class="byline-reading-time"><span class="bull">&bull;</span> 3 min read</span></div></div></div></header>
<section class="gh-content gh-canvas">
{body_html(c, cls="kg-content")}
</section></article>
<section class="footer-cta"><h2>Sign up for {E(c.site)}</h2><p>Subscribe to get the latest posts.</p></section></main></div>"""
    return doc(c, head, body, title_tag=c.title)

def nextjs(c: Case, *, with_jsonld=True) -> str:
    nd = {"props": {"pageProps": {"article": {"id": 99812, "slug": c.name, "title": c.title, "publishedAt": iso(c.pub, z=True),
           "updatedAt": iso(c.mod or c.pub, z=True), "authors": [{"name": a, "slug": a.lower().replace(" ", "-")} for a in c.authors]},
           "buildTime": "2024-11-25T22:01:00.000Z"}, "__N_SSG": True}, "page": "/[lang]/[year]/[slug]", "query": {}, "buildId": "x9Yq1", "isFallback": False, "gsp": True}
    head = f'<meta property="og:title" content="{E(c.title)}"/><meta property="og:site_name" content="{E(c.site)}"/><meta property="og:type" content="article"/>'
    if with_jsonld:
        art = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title, "datePublished": iso(c.pub),
               "author": [person(a) for a in c.authors], "publisher": {"@type": "Organization", "name": c.site}}
        if c.mod: art["dateModified"] = iso(c.mod)
        head += "\n" + ld(art)
    else:
        head += f'<meta property="article:published_time" content="{iso(c.pub)}"/>' + (f'<meta property="article:modified_time" content="{iso(c.mod)}"/>' if c.mod else "")
        head += "".join(f'<meta name="author" content="{E(a)}"/>' for a in c.authors)
    head += '<link rel="preload" href="/_next/static/css/2f1c.css" as="style"/><noscript data-n-css=""></noscript>'
    names = ", ".join(f"<span>{E(a)}</span>" for a in c.authors)
    body = f"""<div id="__next"><div class="Layout_root__x1"><main class="Article_main__a8"><article>
<h1 class="Article_title__3k">{E(c.title)}</h1>
<div class="Byline_root__q2">{names}</div>
{body_html(c, cls="Article_body__9f")}
</article></main></div></div>
<script id="__NEXT_DATA__" type="application/json">{json.dumps(nd)}</script>
<script src="/_next/static/chunks/main-1a2b.js" defer=""></script>"""
    return doc(c, head, body)

PUB_LABEL = {"en": "Published", "de": "Veröffentlicht am", "fr": "Publié le", "es": "Publicado el", "it": "Pubblicato il", "pt": "Publicado em", "nl": "Gepubliceerd op"}
UPD_LABEL = {"en": "Updated", "de": "Aktualisiert am", "fr": "Mis à jour le", "es": "Actualizado el", "it": "Aggiornato il", "pt": "Atualizado em", "nl": "Bijgewerkt op"}
BY = {"en": "By", "de": "Von", "fr": "Par", "es": "Por", "it": "Di", "pt": "Por", "nl": "Door"}
AND = {"en": "and", "de": "und", "fr": "et", "es": "y", "it": "e", "pt": "e", "nl": "en"}
TZNAME = {1: "CET", 2: "CEST", 0: "GMT", -5: "EST", -4: "EDT", -3: "BRT"}

def visible(c: Case, *, show_time=True, show_tz=True, byline: str | None = None, pub_numeric=False) -> str:
    def stamp(d):
        hd = d.strftime("%d.%m.%Y") if pub_numeric and c.lang != "en" else human_date(d, c.lang)
        if not show_time:
            return hd
        sep = {"en": " at ", "de": ", ", "fr": " à ", "es": " - ", "it": " alle ", "pt": " às ", "nl": " om "}[c.lang]
        t = human_time(d, c.lang)
        if show_tz and d.tzinfo is not None:
            t += " " + TZNAME[int(d.utcoffset().total_seconds() // 3600)]
        return hd + sep + t
    by = byline if byline is not None else f"{BY[c.lang]} " + f" {AND[c.lang]} ".join(c.authors)
    dates = f'<p class="dateline">{PUB_LABEL[c.lang]} {stamp(c.pub)}</p>'
    if c.mod:
        dates += f'<p class="dateline updated">{UPD_LABEL[c.lang]} {stamp(c.mod)}</p>'
    head = f'<meta name="description" content="{E(c.paras()[0][:120])}">'
    body = f"""<div class="container"><div class="main-col"><div class="story">
<h1>{E(c.title)}</h1>
<div class="meta"><p class="author">{E(by)}</p>{dates}</div>
{body_html(c, cls="story-text")}
</div></div></div>"""
    return doc(c, head, body)

def microdata(c: Case, *, mod_meta=True) -> str:
    people = "".join(f'<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{E(a)}</span></span>' + (", " if i < len(c.authors) - 1 else "") for i, a in enumerate(c.authors))
    mod = f'<meta itemprop="dateModified" content="{iso(c.mod)}">' if c.mod and mod_meta else ""
    body = f"""<div id="content"><article itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">{E(c.title)}</h1>
<div class="info">{BY[c.lang]} {people} &middot; <time itemprop="datePublished" datetime="{iso(c.pub)}">{human_date(c.pub, c.lang)}</time>{mod}</div>
<div itemprop="publisher" itemscope itemtype="https://schema.org/Organization"><meta itemprop="name" content="{E(c.site)}"></div>
{body_html(c, cls="text", attrs='itemprop="articleBody"')}
</article></div>"""
    head = f'<meta property="og:site_name" content="{E(c.site)}">'
    return doc(c, head, body)

def paywall_full(c: Case) -> str:
    art = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title, "datePublished": iso(c.pub),
           "dateModified": iso(c.mod) if c.mod else None, "author": [person(a) for a in c.authors],
           "isAccessibleForFree": "False", "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paywall"},
           "publisher": {"@type": "Organization", "name": c.site}}
    if not c.mod: del art["dateModified"]
    head = (f'<meta property="og:title" content="{E(c.title)}">\n<meta property="og:site_name" content="{E(c.site)}">\n'
            f'<meta property="article:published_time" content="{iso(c.pub)}">\n<meta property="article:content_tier" content="locked">\n' + ld(art))
    names = f" {AND[c.lang]} ".join(c.authors)
    body = f"""<main><article class="story">
<h1>{E(c.title)}</h1><div class="byline">{BY[c.lang]} {E(names)}</div>
<div class="paywall">
{body_html(c, cls="story-body")}
</div>
<div class="piano-offer" hidden>Subscribe to continue reading. Already a subscriber? Log in.</div>
</article></main>"""
    return doc(c, head, body)

def og_only(c: Case, *, author_meta: str | None = None, facebook=True) -> str:
    metas = [f'<meta property="og:title" content="{E(c.title)}">', f'<meta property="og:site_name" content="{E(c.site)}">',
             '<meta property="og:type" content="article">', f'<meta property="article:published_time" content="{iso(c.pub)}">']
    if c.mod: metas.append(f'<meta property="article:modified_time" content="{iso(c.mod)}">')
    if facebook: metas.append('<meta property="article:author" content="https://www.facebook.com/newsexample">')
    metas.append(f'<meta name="author" content="{E(author_meta if author_meta is not None else ", ".join(c.authors))}">')
    body = f"""<main><div class="post"><h1 class="post-title">{E(c.title)}</h1>
{body_html(c, cls="post-body")}
</div></main>"""
    return doc(c, "\n".join(metas), body)

def jsonld_custom(c: Case, art: dict, *, extra_head="", byline="", raw_ld: str | None = None, title_tag=None) -> str:
    head = (f'<meta property="og:site_name" content="{E(c.site)}">\n' + extra_head + "\n" +
            (raw_ld if raw_ld is not None else ld(art)))
    body = f"""<main><article>
<h1>{E(c.title)}</h1>{byline}
{body_html(c, cls="article__body")}
</article></main>"""
    return doc(c, head, body, title_tag=title_tag)

# ---------------------------------------------------------------- cases
CASES: list[tuple[Case, callable]] = []
def add(case: Case, render):
    CASES.append((case, render))

A = "json-ld"
# WordPress / Yoast
add(Case("wp-yoast-en", "en", "Riverside Gazette", "Council approves transport budget after late vote", ["Jane Okafor"],
         dt("2024-03-12T14:05:09", 0), dt("2024-03-13T09:12:44", 0)), wordpress_yoast)
add(Case("wp-yoast-de-two-authors", "de", "Stadtanzeiger", "Stadtrat beschließt Verkehrshaushalt nach langer Debatte", ["Max Mustermann", "Erika Musterfrau"],
         dt("2024-02-05T18:30:00", 1), dt("2024-02-06T07:45:00", 1)), wordpress_yoast)
add(Case("wp-yoast-fr", "fr", "Le Courrier du Val", "Le conseil municipal adopte le budget des transports", ["Jean Dupont"],
         dt("2024-06-21T11:00:00", 2), None), wordpress_yoast)
add(Case("wp-yoast-es", "es", "Diario del Puerto", "El ayuntamiento aprueba el presupuesto de transporte", ["Ana García López"],
         dt("2024-04-02T20:15:31", 2), dt("2024-04-03T08:00:02", 2)), wordpress_yoast)
add(Case("wp-yoast-pt-br", "pt", "Jornal da Serra", "Câmara aprova orçamento dos transportes após longa votação", ["João Silva"],
         dt("2024-05-14T16:42:10", -3), dt("2024-05-14T19:03:55", -3)), lambda c: wordpress_yoast(c, og_suffix=" | "))
add(Case("wp-yoast-it", "it", "La Voce del Lago", "Il consiglio approva il bilancio dei trasporti", ["Giulia Bianchi"],
         dt("2024-01-30T07:05:00", 1), dt("2024-01-30T10:20:00", 1)), wordpress_yoast)
# Arc XP
add(Case("arc-en-two-authors", "en", "The Capital Post", "House passes stopgap bill hours before shutdown deadline", ["Mary Jordan", "Kevin Sullivan"],
         dt("2024-03-01T22:14:05", 0), dt("2024-03-02T03:40:10", 0)), arc_xp)
add(Case("arc-en-single", "en", "Lakeshore Tribune", "Storm knocks out power to 40,000 homes across the county", ["Luis Ortega"],
         dt("2024-01-09T11:02:33", 0), None), arc_xp)
add(Case("arc-es", "es", "El Observador", "La tormenta deja sin luz a 40.000 hogares en la provincia", ["María Fernández", "Pablo Ruiz"],
         dt("2024-09-18T06:30:00", 0), dt("2024-09-18T09:15:12", 0)), arc_xp)
add(Case("arc-pt", "pt", "Folha do Vale", "Tempestade deixa 40 mil casas sem energia na região", ["Carla Mendes"],
         dt("2024-10-03T13:45:00", 0), dt("2024-10-03T15:05:00", 0)), arc_xp)
# Drupal
add(Case("drupal-en-rfc-meta", "en", "Valley Courier", "School board delays vote on new timetable", ["Sam Whitfield"],
         dt("2024-02-20T09:15:00", 0), dt("2024-02-21T12:30:00", 0), title_source="meta", author_source="microdata",
         pub_t={"source": "meta"}, mod_t={"source": "meta"}), drupal)
add(Case("drupal-de-rdfa-only", "de", "Kreisblatt Nord", "Schulrat verschiebt Abstimmung über neuen Stundenplan", ["Lena Hoffmann"],
         dt("2024-03-04T17:20:00", 1), None, title_source="meta", author_source="microdata", pub_t={"source": "microdata"}),
    lambda c: drupal(c, og_dates=False))
add(Case("drupal-nl", "nl", "Dagblad Oost", "Gemeenteraad stemt in met nieuwe vervoersbegroting", ["Pieter de Vries"],
         dt("2024-07-08T10:00:00", 2), dt("2024-07-08T16:45:00", 2), title_source="meta", author_source="microdata",
         pub_t={"source": "meta"}, mod_t={"source": "meta"}), lambda c: drupal(c, rfc_meta=False))
add(Case("drupal-fr", "fr", "L'Écho des Alpes", "Le conseil scolaire reporte le vote sur les horaires", ["Claire Martin"],
         dt("2024-11-12T08:05:00", 1), dt("2024-11-12T18:40:00", 1), title_source="meta", author_source="microdata",
         pub_t={"source": "meta"}, mod_t={"source": "meta"}), drupal)
# Ghost
add(Case("ghost-en", "en", "The Commons Letter", "What the transport vote means for commuters", ["Rachel Adeyemi"],
         dt("2024-04-15T06:00:00", 0), dt("2024-04-16T10:30:00", 0)), ghost)
add(Case("ghost-de", "de", "Wochenpost Digital", "Was der Verkehrsbeschluss für Pendler bedeutet", ["Jonas Becker"],
         dt("2024-08-01T05:30:00", 2), None), ghost)
add(Case("ghost-it", "it", "Il Taccuino", "Cosa significa il voto sui trasporti per i pendolari", ["Marco Esposito"],
         dt("2024-05-09T21:10:00", 2), dt("2024-05-10T09:00:00", 2)), ghost)
# Next.js
add(Case("nextjs-en-jsonld", "en", "Metro Daily", "Metro expands night buses to six new routes", ["Priya Natarajan", "Tom Hale"],
         dt("2024-06-03T04:00:00", -4), dt("2024-06-03T13:25:00", -4)), nextjs)
add(Case("nextjs-fr-jsonld", "fr", "Le Quotidien Numérique", "Le métro étend ses bus de nuit à six nouvelles lignes", ["Sophie Laurent"],
         dt("2024-03-27T07:30:00", 1), None), nextjs)
add(Case("nextjs-de-meta-only", "de", "Nachrichten Kompakt", "Nachtbusse fahren künftig auf sechs neuen Linien", ["Felix Wagner"],
         dt("2024-09-30T06:15:00", 2), dt("2024-09-30T11:50:00", 2), title_source="meta", author_source="meta",
         pub_t={"source": "meta"}, mod_t={"source": "meta"}), lambda c: nextjs(c, with_jsonld=False))
add(Case("nextjs-es-jsonld", "es", "Noticias al Día", "El metro amplía los autobuses nocturnos a seis nuevas líneas", ["Lucía Romero"],
         dt("2024-02-14T22:00:00", 1), dt("2024-02-15T08:30:00", 1)), nextjs)
# Visible dates only
V = dict(title_source="html-title", author_source="byline")
add(Case("visible-en-gmt", "en", "Harbour Herald", "Ferry service resumes after two-week strike", ["Olivia Grant"],
         dt("2024-03-12T14:05:00", 0), dt("2024-03-12T18:30:00", 0), pub_t={"source": "text", "precision": "minute"},
         mod_t={"source": "text", "precision": "minute"}, **V), visible)
add(Case("visible-de-cet", "de", "Lokalzeitung Süd", "Fährverkehr nach zweiwöchigem Streik wieder aufgenommen", ["Max Mustermann"],
         dt("2024-01-17T09:40:00", 1), dt("2024-01-17T15:10:00", 1), pub_t={"source": "text", "precision": "minute"},
         mod_t={"source": "text", "precision": "minute"}, **V), lambda c: visible(c, pub_numeric=True))
add(Case("visible-fr-cest", "fr", "La Gazette du Port", "Le service de ferry reprend après deux semaines de grève", ["Marie Curie", "Jean Dupont"],
         dt("2024-06-05T14:05:00", 2), dt("2024-06-06T09:12:00", 2), pub_t={"source": "text", "precision": "minute"},
         mod_t={"source": "text", "precision": "minute"}, **V), visible)
add(Case("visible-es-cet", "es", "Crónica de la Costa", "Se reanuda el servicio de ferry tras dos semanas de huelga", ["Ana García López"],
         dt("2024-02-28T12:00:00", 1), None, pub_t={"source": "text", "precision": "minute"}, **V), visible)
add(Case("visible-it-cest", "it", "Gazzetta del Porto", "Riprende il servizio di traghetti dopo due settimane di sciopero", ["Mario Rossi", "Giulia Bianchi"],
         dt("2024-07-22T08:30:00", 2), dt("2024-07-22T13:00:00", 2), pub_t={"source": "text", "precision": "minute"},
         mod_t={"source": "text", "precision": "minute"}, **V), visible)
add(Case("visible-pt-date-only", "pt", "Diário do Porto", "Serviço de balsa é retomado após duas semanas de greve", ["João Silva"],
         dt("2024-08-19T00:00:00", None), None, pub_t={"source": "text", "precision": "day"}, **V), lambda c: visible(c, show_time=False))
add(Case("visible-en-no-tz", "en", "Hill Country News", "County fair draws record crowds despite rain", ["Beth Carter"],
         dt("2024-09-07T16:20:00", None), dt("2024-09-08T10:05:00", None), pub_t={"source": "text", "precision": "minute"},
         mod_t={"source": "text", "precision": "minute"}, **V), lambda c: visible(c, show_tz=False))
add(Case("visible-nl", "nl", "Stadsblad West", "Veerdienst hervat na staking van twee weken", ["Pieter de Vries"],
         dt("2024-04-10T00:00:00", None), None, pub_t={"source": "text", "precision": "day"}, **V), lambda c: visible(c, show_time=False))
# Microdata
M = dict(title_source="microdata", author_source="microdata")
add(Case("microdata-en", "en", "Northern Echo Online", "Hospital opens new emergency wing", ["Hannah Lee", "David Moss"],
         dt("2024-05-06T08:00:00", 1), dt("2024-05-06T12:45:00", 1), pub_t={"source": "microdata"}, mod_t={"source": "microdata"}, **M), microdata)
add(Case("microdata-it", "it", "Corriere Valle", "L'ospedale inaugura il nuovo pronto soccorso", ["Luca Ferrari"],
         dt("2024-03-19T10:30:00", 1), None, pub_t={"source": "microdata"}, **M), microdata)
add(Case("microdata-pt", "pt", "Gazeta do Norte", "Hospital inaugura nova ala de emergência", ["Beatriz Costa"],
         dt("2024-06-11T09:00:00", 1), dt("2024-06-12T09:30:00", 1), pub_t={"source": "microdata"}, mod_t={"source": "microdata"}, **M), microdata)
# Paywall-looking, full page
add(Case("paywall-full-en", "en", "The Ledger", "Regional bank posts record quarterly profit", ["Amelia Stone"],
         dt("2024-10-24T12:00:00", -4), dt("2024-10-24T16:30:00", -4)), paywall_full)
add(Case("paywall-full-de", "de", "Wirtschaftskurier", "Regionalbank meldet Rekordgewinn im Quartal", ["Thomas Krüger", "Anna Schmidt"],
         dt("2024-10-24T18:00:00", 2), None), paywall_full)
# OpenGraph only
O = dict(title_source="meta", author_source="meta", pub_t={"source": "meta"}, mod_t={"source": "meta"})
add(Case("og-only-en-facebook-author", "en", "Coastal Times", "Beach clean-up volunteers collect two tonnes of plastic", ["Grace Kim"],
         dt("2024-07-01T10:00:00", -7), dt("2024-07-01T14:00:00", -7), **O), og_only)
add(Case("og-only-es-two-authors", "es", "La Razón del Sur", "Voluntarios recogen dos toneladas de plástico en la playa", ["Carmen Díaz", "Javier Moreno"],
         dt("2024-07-02T09:00:00", 2), None, **O), lambda c: og_only(c, author_meta="Carmen Díaz y Javier Moreno"))
# Sanity and edge cases (JSON-LD variants)
def art(c, **kw):
    d = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": c.title}
    d.update(kw); return d
add(Case("ld-modified-before-published", "en", "Daily Planet", "Mayor opens new library in the east end", ["Clark Kent"],
         dt("2024-03-05T10:00:00", 0), None, title_source="json-ld"),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-03-05T10:00:00+00:00", dateModified="2024-03-04T09:00:00+00:00", author=person("Clark Kent"))))
add(Case("ld-future-modified-falls-back-to-text", "en", "Daily Planet", "Library extends opening hours for students", ["Lois Lane"],
         dt("2024-03-06T10:00:00", 0), dt("2024-03-07T15:30:00", 0), mod_t={"source": "text", "precision": "minute"}),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-03-06T10:00:00Z", dateModified="2031-01-01T00:00:00Z", author={"@type": "Person", "name": "Lois Lane"}),
                            byline='<p class="updated">Updated March 7, 2024 at 3:30 p.m. GMT</p>'))
add(Case("ld-epoch-published-falls-back-to-meta", "en", "Daily Planet", "Museum reopens after roof repairs", ["Jimmy Olsen"],
         dt("2024-03-08T12:00:00", 0), None, pub_t={"source": "meta"}),
    lambda c: jsonld_custom(c, art(c, datePublished="1970-01-01T00:00:00Z", author=person("Jimmy Olsen")),
                            extra_head='<meta property="article:published_time" content="2024-03-08T12:00:00+00:00">'))
add(Case("ld-date-only", "de", "Tagesblatt", "Museum öffnet nach Dachsanierung wieder", ["Erika Musterfrau"],
         dt("2024-03-09T00:00:00", None), dt("2024-03-11T00:00:00", None), pub_t={"precision": "day"}, mod_t={"precision": "day"}),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-03-09", dateModified="2024-03-11", author=person("Erika Musterfrau"))))
add(Case("ld-naive-time", "it", "Cronaca Oggi", "Il museo riapre dopo i lavori al tetto", ["Mario Rossi"],
         dt("2024-03-09T18:45:00", None), None),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-03-09T18:45:00", author=person("Mario Rossi"))))
add(Case("ld-author-roles-and-handles", "en", "Wire Report", "Markets rally as inflation cools", ["Jane Doe", "John Smith"],
         dt("2024-04-10T13:30:00", 0), None),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-04-10T13:30:00Z",
                                   author=[person("By Jane Doe, Chief Economics Correspondent"), person("John Smith (@jsmith)"), {"@type": "Organization", "name": "Wire Report"}])))
add(Case("ld-author-string-with-agency", "de", "Rundschau Online", "Börsen legen nach Inflationsdaten zu", ["Max Mustermann"],
         dt("2024-04-10T16:00:00", 2), None),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-04-10T16:00:00+02:00", author="Von Max Mustermann, dpa")))
add(Case("ld-agency-only", "fr", "Info Express", "Les marchés progressent après les chiffres de l'inflation", [],
         dt("2024-04-10T15:00:00", 2), None, author_source=None),
    lambda c: jsonld_custom(c, art(c, datePublished="2024-04-10T15:00:00+02:00", author={"@type": "Organization", "name": "AFP"}),
                            byline="<p class=\"byline\">Par AFP</p>"))
add(Case("ld-malformed-json", "en", "Midweek Bulletin", "Bridge reopens to traffic after repairs", ["Nora Quinn"],
         dt("2024-05-20T07:00:00", 0), dt("2024-05-20T09:30:00", 0)),
    lambda c: jsonld_custom(c, {}, raw_ld='<script type="application/ld+json">\n<!--\n{"@context": "https://schema.org", "@type": "NewsArticle",\n "headline": "Bridge reopens to traffic after repairs",\n "datePublished": "2024-05-20T07:00:00+00:00", "dateModified": "2024-05-20T09:30:00+00:00",\n "author": [{"@type": "Person", "name": "Nora Quinn"},],\n}\n-->\n</script>'))
add(Case("ld-graph-reportage-es", "es", "El Faro Digital", "Crónica de una noche de tormenta en el puerto", ["Lucía Romero", "Pablo Ruiz"],
         dt("2024-10-30T23:10:00", 1), dt("2024-10-31T07:05:00", 1)),
    lambda c: jsonld_custom(c, {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": c.site, "url": f"https://{c.host}/"},
        {"@type": ["ReportageNewsArticle"], "headline": c.title, "datePublished": iso(c.pub), "dateModified": iso(c.mod),
         "author": [{"@type": "Person", "name": "Lucía Romero"}, {"@type": "Person", "name": "Pablo Ruiz"}]}]}))
# Titles
add(Case("title-pipe-section-suffix", "en", "CNN", "Senate confirms new transport secretary", ["Manu Raju"],
         dt("2024-02-01T19:00:00", -5), None, title_source="html-title", author_source="meta", pub_t={"source": "meta"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="CNN"><meta name="author" content="Manu Raju, CNN"><meta property="article:published_time" content="{iso(c.pub)}">',
                  f'<main><article><h1 class="headline__text">Senate confirms new transport secretary</h1><div class="byline">By Manu Raju, CNN</div>{body_html(c, cls="article__content")}</article></main>',
                  title_tag=f"{c.title} | CNN Politics"))
add(Case("title-dash-in-headline", "en", "The Record", "Brexit - what happens next for hauliers", ["Ian Moore"],
         dt("2024-02-02T08:00:00", 0), None, title_source="meta", author_source="meta", pub_t={"source": "meta"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="The Record"><meta property="og:title" content="{c.title} - The Record"><meta name="author" content="Ian Moore"><meta property="article:published_time" content="{iso(c.pub)}">',
                  f'<main><article><h1>{c.title}</h1>{body_html(c)}</article></main>', title_tag=f"{c.title} - The Record"))
add(Case("title-uppercase-byline", "en", "Prairie Voice", "Wheat harvest hits ten-year high", ["Dale Hudson"],
         dt("2024-08-30T00:00:00", None), None, title_source="html-title", author_source="byline", pub_t={"source": "text", "precision": "day"}),
    lambda c: doc(c, '<meta name="description" content="Harvest figures.">',
                  f'<main><div class="story"><h1>{c.title}</h1><p class="byline">BY DALE HUDSON</p><p class="date">August 30, 2024</p>{body_html(c)}</div></main>',
                  title_tag=f"{c.title} :: Prairie Voice"))
# Feed hints and HTTP Last-Modified fallbacks
add(Case("feed-hints-only", "en", "Plain Notes", "Community garden wins city award", ["Rosa Diaz"],
         dt("2024-06-14T09:00:00", 0), None, title_source="html-title", author_source="feed", pub_t={"source": "feed", "offset": None},
         hints={"author": "Rosa Diaz", "published_at": "2024-06-14T09:00:00Z"}),
    lambda c: doc(c, "", f'<main><div class="entry"><h1>{c.title}</h1>{body_html(c)}</div></main>', title_tag=f"{c.title} | Plain Notes"))
add(Case("http-last-modified", "en", "Plain Notes", "Library sale raises funds for new books", ["Rosa Diaz"],
         dt("2024-06-15T09:00:00", 0), dt("2024-06-16T11:22:33", 0), title_source="meta", author_source="meta",
         pub_t={"source": "meta"}, mod_t={"source": "http"}, last_modified="Sun, 16 Jun 2024 11:22:33 GMT"),
    lambda c: doc(c, f'<meta property="og:title" content="{c.title}"><meta property="og:site_name" content="Plain Notes"><meta name="author" content="Rosa Diaz"><meta property="article:published_time" content="{iso(c.pub)}">',
                  f'<main><div class="entry"><h1>{c.title}</h1>{body_html(c)}</div></main>'))

# Harder real-world shapes
add(Case("cnn-like-et-update", "en", "CNN", "Lawmakers strike deal to avert rail strike", ["Manu Raju", "Ted Barrett"],
         dt("2024-03-01T15:02:00", -5), dt("2024-03-01T17:47:00", -5), title_source="meta", author_source="meta",
         pub_t={"source": "meta", "precision": "second", "offset": "+00:00"}, mod_t={"source": "text", "precision": "minute"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="CNN"><meta property="og:title" content="{c.title} | CNN Politics">'
                     f'<meta name="author" content="Manu Raju, Ted Barrett, CNN"><meta property="article:published_time" content="{iso(c.pub, z=True)}">',
                  f'<main><article><h1 class="headline__text">{c.title}</h1><div class="byline__names">By Manu Raju, Ted Barrett, CNN</div>'
                  f'<div class="timestamp">Updated 5:47 PM ET, Fri March 1, 2024</div>{body_html(c, cls="article__content")}</article></main>',
                  title_tag=f"{c.title} | CNN Politics"))
add(Case("byline-with-place", "en", "Frontline Wire", "Drone strikes hit power plants overnight", ["Olena Kovalenko"],
         dt("2024-04-11T06:20:00", 3), None, title_source="meta", author_source="byline", pub_t={"source": "meta"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="Frontline Wire"><meta property="og:title" content="{c.title}">'
                     f'<meta property="article:published_time" content="{iso(c.pub)}">',
                  f'<main><article><h1>{c.title}</h1><p class="byline">By <a rel="author" href="/p/ok">Olena Kovalenko</a> in Kyiv</p>{body_html(c)}</article></main>'))
add(Case("ld-related-article-first", "en", "Evening Standard Online", "New tram line opens to passengers", ["Amira Haddad"],
         dt("2024-05-02T05:00:00", 1), dt("2024-05-02T09:40:00", 1)),
    lambda c: jsonld_custom(c, [
        {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle", "url": f"https://{c.host}/en/2024/older-story", "headline": "Tram works close city centre roads",
             "datePublished": "2024-01-15T08:00:00+00:00", "author": {"@type": "Person", "name": "Tom Price"}}}]},
        {"@context": "https://schema.org", "@type": "NewsArticle", "url": c.url, "mainEntityOfPage": {"@type": "WebPage", "@id": c.url},
         "headline": c.title, "datePublished": iso(c.pub), "dateModified": iso(c.mod), "author": {"@type": "Person", "name": "Amira Haddad"}}],
        raw_ld="".join(ld(x) for x in [
        {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle", "url": f"https://{c.host}/en/2024/older-story", "headline": "Tram works close city centre roads",
             "datePublished": "2024-01-15T08:00:00+00:00", "author": {"@type": "Person", "name": "Tom Price"}}}]},
        {"@context": "https://schema.org", "@type": "NewsArticle", "url": c.url, "mainEntityOfPage": {"@type": "WebPage", "@id": c.url},
         "headline": c.title, "datePublished": iso(c.pub), "dateModified": iso(c.mod), "author": {"@type": "Person", "name": "Amira Haddad"}}])))
add(Case("de-stand-update-line", "de", "Nachrichten Eins", "Bundestag beschließt Reform der Schuldenbremse", ["Anna Schmidt"],
         dt("2024-03-21T10:00:00", 1), dt("2024-03-21T14:35:00", 1), title_source="meta", author_source="meta",
         pub_t={"source": "meta", "precision": "second"}, mod_t={"source": "text", "precision": "minute"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="Nachrichten Eins"><meta property="og:title" content="{c.title}">'
                     f'<meta name="author" content="Anna Schmidt, ARD-Hauptstadtstudio"><meta name="date" content="{iso(c.pub)}">',
                  f'<main><article><h1>{c.title}</h1><p class="metatextline">Stand: 21.03.2024 14:35 Uhr</p>{body_html(c)}</article></main>'))
add(Case("meta-compact-offset-and-naive-space", "es", "Heraldo Digital", "La sequía obliga a restringir el riego en la cuenca", ["Pablo Ruiz"],
         dt("2024-06-18T07:30:00", 2), dt("2024-06-18T12:10:00", None), title_source="meta", author_source="meta",
         pub_t={"source": "meta"}, mod_t={"source": "meta"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="Heraldo Digital"><meta property="og:title" content="{c.title}"><meta name="author" content="Pablo Ruiz">'
                     f'<meta property="article:published_time" content="2024-06-18T07:30:00+0200"><meta property="article:modified_time" content="2024-06-18 12:10:00">',
                  f'<main><article><h1>{c.title}</h1>{body_html(c)}</article></main>'))

add(Case("ld-person-mononym", "en", "Jakarta Daily Wire", "Floods close schools across the capital", ["Sutrisno", "Dewi Lestari"],
         dt("2024-02-12T08:00:00", 7), None),
    lambda c: jsonld_custom(c, art(c, datePublished=iso(c.pub), author=[person("Sutrisno"), person("Dewi Lestari")])))
add(Case("byline-mononym", "en", "Jakarta Daily Wire", "Rain eases as flood waters recede", ["Sutrisno"],
         dt("2024-02-13T09:00:00", 7), None, title_source="meta", author_source="byline", pub_t={"source": "meta"},
         known_wrong={"authors": "a one-word byline is indistinguishable from 'Staff' or an agency; only typed Person names may be one word",
                      "author_source": "follows authors"}),
    lambda c: doc(c, f'<meta property="og:site_name" content="{c.site}"><meta property="og:title" content="{c.title}"><meta property="article:published_time" content="{iso(c.pub)}">',
                  f'<main><article><h1>{c.title}</h1><p class="byline">By Sutrisno</p>{body_html(c)}</article></main>'))

# Shapes of large national sites
def plain(c: Case, head: str, meta_line: str, *, title_tag=None) -> str:
    return doc(c, head, f'<main><article><h1>{E(c.title)}</h1>{meta_line}{body_html(c)}</article></main>', title_tag=title_tag)

add(Case("bbc-like-org-author-byline", "en", "BBC News", "Power restored to thousands after storm", ["Jane Doe"],
         dt("2024-01-22T09:15:00", 0), None, title_source="json-ld", author_source="byline"),
    lambda c: plain(c, '<meta property="og:site_name" content="BBC News">' + ld(art(c, datePublished="2024-01-22T09:15:00.000Z",
                    author={"@type": "NewsMediaOrganization", "name": "BBC News"})),
                    '<div class="byline" data-component="byline-block"><span>By Jane Doe,</span> <span>BBC News, Cardiff</span></div>',
                    title_tag=f"{c.title} - BBC News"))
add(Case("lemonde-like-one-line", "fr", "Le Journal", "La réforme des retraites devant le Conseil constitutionnel", ["Claire Martin"],
         dt("2024-03-12T06:00:00", None), dt("2024-03-12T08:34:00", None), title_source="meta", author_source="meta",
         pub_t={"source": "text", "precision": "minute"}, mod_t={"source": "text", "precision": "minute"}),
    lambda c: plain(c, f'<meta property="og:site_name" content="Le Journal"><meta property="og:title" content="{c.title}"><meta name="author" content="Claire Martin">',
                    '<p class="meta__date">Publié le 12 mars 2024 à 06h00, modifié le 12 mars 2024 à 08h34</p>',
                    title_tag=f"{c.title} | Le Journal"))
add(Case("elpais-like-abbreviated-months", "es", "El Diario", "El Gobierno aprueba el plan de vivienda", ["Lucía Romero"],
         dt("2024-03-12T14:05:00", 1), dt("2024-03-12T18:30:00", 1), title_source="meta", author_source="byline",
         pub_t={"source": "text", "precision": "minute"}, mod_t={"source": "text", "precision": "minute"}),
    lambda c: plain(c, f'<meta property="og:site_name" content="El Diario"><meta property="og:title" content="{c.title}">',
                    '<div class="a_md"><div class="a_md_a"><a rel="author" href="/autor/lucia-romero/">Lucía Romero</a></div>'
                    '<div class="a_md_f"><span>Madrid - </span><time>12 mar 2024 - 14:05 CET</time>'
                    '<span class="a_md_f_u">Actualizado: 12 mar 2024 - 18:30 CET</span></div></div>'))
add(Case("corriere-like-modifica", "it", "Il Quotidiano", "Il governo approva il piano casa", ["Marco Esposito"],
         dt("2024-03-12T00:00:00", None), dt("2024-03-12T18:30:00", None), title_source="meta", author_source="meta",
         pub_t={"source": "text", "precision": "day"}, mod_t={"source": "text", "precision": "minute"}),
    lambda c: plain(c, f'<meta property="og:site_name" content="Il Quotidiano"><meta property="og:title" content="{c.title}"><meta name="author" content="Marco Esposito">',
                    '<p class="article-date">12 marzo 2024 (modifica il 12 marzo 2024 | 18:30)</p>'))
add(Case("g1-like-relative-update", "pt", "Portal Notícias", "Governo anuncia novo plano de habitação", ["Carla Mendes"],
         dt("2024-03-12T14:05:00", None), None, title_source="meta", author_source="meta",
         pub_t={"source": "text", "precision": "minute"}),
    lambda c: plain(c, f'<meta property="og:site_name" content="Portal Notícias"><meta property="og:title" content="{c.title}"><meta name="author" content="Carla Mendes">',
                    '<p class="content-publication-data"><time>12/03/2024 14h05</time> Atualizado há 2 horas</p>'))

# Real-page shapes of the dates rules (issue 15): each reproduces a structure met on real pages
add(Case("ld-utc-visible-local-time", "en", "Metro Gazette", "Former press secretary exits studio role", ["Mara Lee"],
         dt("2024-02-24T21:25:54", -5), None),
    # JSON-LD in UTC, the byline's date and time in the site's zone: the offset is the page's own
    lambda c: jsonld_custom(c, art(c, datePublished=iso(c.pub, z=True), author=person("Mara Lee")),
                            byline='<p class="byline-date">February 24, 2024 <span class="separator">|</span> 9:25pm</p>'))
add(Case("ld-utc-tracking-script", "en", "Twin Lakes Daily", "Suburb elects its first Somali American mayor", ["Ray Olson"],
         dt("2023-11-08T23:30:59", -6), dt("2023-11-09T00:21:49", -6)),
    # the same instants written with the zone in an analytics script and as naive <time datetime>
    lambda c: jsonld_custom(c, art(c, datePublished=iso(c.pub, z=True), dateModified=iso(c.mod, z=True), author=person("Ray Olson")),
                            extra_head=f'<script>var analytics = {{"Publish Hour of Day": "{iso(c.pub)}", "section": "news"}};</script>',
                            byline=f'<div class="time">PUBLISHED: <time datetime="{c.pub.strftime("%Y-%m-%d %H:%M:%S")}">November 8, 2023 at 11:30 p.m.</time>'
                                   f' | UPDATED: <time class="updated" datetime="{c.mod.strftime("%Y-%m-%d %H:%M:%S")}">November 9, 2023 at 12:21 a.m.</time></div>'))
add(Case("url-date-republished", "de", "Alpenblick", "Neue Hütte am Gipfel eröffnet", ["Lena Hoffmann"],
         dt("2024-03-12T00:00:00", None), None, path="/de/2024/03/12/neue-huette-eroeffnet", pub_t={"source": "url", "precision": "day"}),
    # the structured date is an older one (the story was republished); the URL was written at publication
    lambda c: jsonld_custom(c, art(c, datePublished="2022-06-01T10:00:00+02:00", author=person("Lena Hoffmann"))))
add(Case("related-posts-dates-before-article", "en", "Hillside Notes", "Volunteers restore the old mill race", ["Tom Price"],
         dt("2024-04-18T09:30:00", 1), None, title_source="html-title", author_source="byline", pub_t={"source": "time"}),
    # a related-posts block before the article, with its own microdata item and <time class="published">
    lambda c: doc(c, "", f"""<main><section class="related-posts"><h2>Related</h2>
<div itemscope itemtype="https://schema.org/BlogPosting"><h3 itemprop="headline"><a href="/x">Mill race survey begins</a></h3>
<meta itemprop="datePublished" content="2024-01-15"><time class="entry-date published" datetime="2024-01-15T08:00:00+00:00">January 15, 2024</time></div></section>
<article class="post"><h1 class="entry-title">{E(c.title)}</h1><p class="byline">By Tom Price</p>
<time class="entry-date published" datetime="{iso(c.pub)}">{human_date(c.pub, "en")}</time>
{body_html(c, cls="entry-content")}</article></main>""", title_tag=f"{c.title} | {c.site}"))
add(Case("masthead-today-clock", "de", "Kreisbote", "Gemeinderat beschließt neuen Radweg", ["Anna Schmidt"],
         dt("2024-03-03T00:00:00", None), None, title_source="html-title", author_source="byline", pub_t={"source": "text", "precision": "day"}),
    # the masthead shows today's date; the article's date is its own unlabelled date line
    lambda c: doc(c, "", f"""<div class="masthead"><span class="header-date">Dienstag, 31. Dezember 2024</span></div>
<main><div class="story"><h1>{E(c.title)}</h1><p class="meta"><span class="author">Von Anna Schmidt</span> · 3. März 2024</p>
{body_html(c, cls="story-text")}</div></main>""", title_tag=f"{c.title} | {c.site}"))
add(Case("ld-extra-brace", "fr", "Le Veilleur", "La médiathèque rouvre après travaux", ["Claire Martin"],
         dt("2024-05-06T08:15:00", 2), None),
    # one "}" too many after the object: the block is read, not thrown away
    lambda c: jsonld_custom(c, {}, raw_ld='<script type="application/ld+json">' + json.dumps(
        art(c, datePublished=iso(c.pub), author=person("Claire Martin")), ensure_ascii=False) + "}</script>"))
add(Case("visible-line-with-tail", "de", "Forschungsfunk", "Sternfusion im Teilchenbeschleuniger", ["Holger Klein"],
         dt("2024-08-16T00:00:00", None), None, title_source="html-title", author_source="byline", pub_t={"source": "text", "precision": "day"}),
    # a podcast's date line goes on without a separator: the date is read from its start
    lambda c: doc(c, "", f"""<main><article><h1>{E(c.title)}</h1><p class="byline">Von Holger Klein</p>
<p class="episode-meta">Veröffentlicht am 16.08.2024 Dauer: 1 Stunde 4 Minuten Lizenz: CC-BY 4.0</p>
{body_html(c)}</article></main>""", title_tag=f"{c.title} | {c.site}"))
add(Case("en-gb-numeric-date", "en", "Flawless Kitchen", "Olive and herb focaccia bread", ["Kay Smith"],
         dt("2024-04-12T00:00:00", None), None, html_lang="en-GB", title_source="html-title", author_source="byline",
         pub_t={"source": "text", "precision": "day"}),
    # a British site writes 12/04/2024 for 12 April
    lambda c: doc(c, "", f"""<main><article><header class="entry-header"><h1 class="entry-title">{E(c.title)}</h1>
<p class="entry-meta">12/04/2024 by <span class="author">Kay Smith</span></p></header>
{body_html(c, cls="entry-content")}</article></main>""", title_tag=f"{c.title} | {c.site}"))

def expected(c: Case) -> dict:
    pub_prec = c.pub_t.get("precision", "second")
    mod_prec = c.mod_t.get("precision", "second")
    p = truth(c.pub, pub_prec, c.pub_t.get("source", "json-ld"))
    m = truth(c.mod, mod_prec, c.mod_t.get("source", "json-ld"))
    if "offset" in c.pub_t:  # the zone the page (or feed) wrote, when it is not the one of the true time
        p["offset"] = c.pub_t["offset"]
    return {"title": c.title, "title_source": c.title_source, "authors": c.authors,
            "author_source": c.author_source if c.authors else None,
            "published_at": p["at"], "published_source": p["source"], "published_precision": p["precision"], "published_offset": p["offset"],
            "modified_at": m["at"], "modified_source": m["source"], "modified_precision": m["precision"], "modified_offset": m["offset"]}

OUT.mkdir(parents=True, exist_ok=True)
for c, render in CASES:
    page = render(c)
    (OUT / f"{c.name}.html").write_text(page, encoding="utf-8")
    spec = {"input": {"url": c.url, "last_modified": c.last_modified, "hints": c.hints}, "expected": expected(c),
            "text": "\n".join(c.paras()), "known_wrong": c.known_wrong}
    (OUT / f"{c.name}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(len(CASES), "cases")
