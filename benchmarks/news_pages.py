"""Hand-written news pages with known ground truth, for the HTML benchmarks (not used by tests).

Eight stories (six English, one Russian, one Japanese), each written out once as content (headline,
standfirst, body paragraphs, subheadings, a block quote, list items, images with alt, caption and
credit), rendered through four page layouts that imitate what sites really ship:

  semantic    <article>, <figure>/<figcaption> with <span class="credit">, a related-stories aside,
              a newsletter box, a comment thread, cookie banner, share bar, footer
  wordpress   .entry-content, .wp-caption boxes ("Caption. Photo: X"), sharedaddy buttons,
              jetpack related posts, an <ol class="commentlist">
  legacy      table layout, paragraphs separated by <br><br>, <div class="photo-caption"> with the
              credit in parentheses, "Read more" link lines, a tracking pixel
  app         div soup with data attributes, lazy images (data-src + <noscript>), figcaption with
              <span class="caption-text"> and <span class="credit">, a pull quote aside, "Most read"
              list, an inline script and a JSON-LD block

The ground truth of a page is what a reader would call the story: standfirst, paragraphs,
subheadings, quote and list items (not the headline, byline, captions or any chrome). Captions
and credits are listed apart, for caption recall.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass
class Image:
    alt: str
    caption: str
    credit: str


@dataclass
class Story:
    slug: str
    lang: str
    outlet: str
    author: str
    date: str
    headline: str
    standfirst: str
    # body items: ("p", text) | ("h2", text) | ("quote", text) | ("list", [items]) | ("img", Image)
    body: list[tuple[str, object]] = field(default_factory=list)
    encoding: str = "utf-8"
    declare_charset: bool = True

    def truth(self) -> str:
        parts = [self.standfirst]
        for kind, value in self.body:
            if kind in ("p", "h2", "quote"):
                parts.append(str(value))
            elif kind == "list":
                parts.extend(value)  # type: ignore[arg-type]
        return "\n".join(parts)

    def images(self) -> list[Image]:
        return [value for kind, value in self.body if kind == "img"]  # type: ignore[misc]


def _story(slug, lang, outlet, author, date, headline, standfirst, *body, **extra) -> Story:
    return Story(slug, lang, outlet, author, date, headline, standfirst, list(body), **extra)


STORIES: list[Story] = [
    _story(
        "floods", "en", "The Riverside Courier", "Jane Smith", "2024-03-05",
        "Floods force thousands from homes as river reaches record height",
        "Emergency crews worked through the night in three towns after the river burst its banks.",
        ("p", "More than 3,000 people were moved out of low-lying streets in Riverton, Millbrook and Ashford "
              "overnight after the River Lane rose faster than forecasters had expected, officials said on Tuesday."),
        ("img", Image("Flooded high street in Riverton", "Residents wade through the high street in Riverton on Monday evening.",
                      "Photo: John Doe/Reuters")),
        ("p", "The Environment Agency said the gauge at Riverton bridge peaked at 6.2 metres shortly after 3am, "
              "the highest reading since records began in 1901 and almost half a metre above the level of the 2007 floods."),
        ("p", "Fire crews used boats to reach elderly residents on Mill Street, where water stood more than a metre deep, "
              "and a rest centre was opened at the Riverton leisure centre for families who had nowhere else to go."),
        ("h2", "Schools and roads closed"),
        ("p", "The county council said all schools in the district would stay closed until at least Thursday while "
              "engineers inspected four bridges. Several roads remained impassable on Tuesday afternoon:"),
        ("list", ["The A38 between Riverton and Millbrook", "Station Road and Mill Street in Riverton",
                  "The B4211 at Ashford old mill"]),
        ("quote", "“We have never seen anything like this. The water came up the street in less than an hour,” "
                  "said Mary Jones, who runs a bakery on the high street."),
        ("img", Image("A rescue boat on a flooded road", "A fire service boat on Station Road in Riverton.",
                      "Getty Images")),
        ("p", "Forecasters expect up to 40mm more rain by Wednesday evening and warned that further flooding was "
              "likely along the lower reaches of the river, where flood defences are still being repaired."),
        ("p", "The local MP, Tom Baker, said he would ask ministers for emergency funding to help businesses that "
              "lost stock, adding that many shop owners had been unable to get insurance since the last floods."),
    ),
    _story(
        "budget", "en", "Capital Ledger", "Amit Patel", "2024-10-30",
        "Finance minister raises spending on hospitals and cuts fuel duty in first budget",
        "The plan adds £22bn to health spending over two years, funded by higher taxes on share dividends.",
        ("p", "The finance minister, Helen Clarke, told parliament on Wednesday that the government would spend an "
              "extra £22bn on hospitals and clinics over the next two years, the largest increase in a decade."),
        ("p", "Clarke said waiting lists had grown to 7.6 million people and that the money would pay for 40,000 "
              "more operations a week by the end of next year, a figure the opposition called unrealistic."),
        ("img", Image("The finance minister holds up her budget folder", "Helen Clarke outside the finance ministry before "
                      "delivering the budget.", "Photograph: Sam Green/AP")),
        ("h2", "Who pays"),
        ("p", "The increase will be funded mainly by raising the tax on dividends from 8.75% to 10.75% and by "
              "closing what the minister called loopholes in the taxation of private equity bonuses."),
        ("p", "Fuel duty will fall by 5p a litre from April, a cut the Treasury estimates will cost £3bn a year. "
              "Economists at the Fiscal Studies Institute said the cut would mostly benefit higher earners."),
        ("quote", "“This is a budget for the waiting room, not the boardroom,” Clarke said, to cheers from her own benches."),
        ("p", "The opposition leader, Mark Hughes, said the plan would hit savers and pensioners and accused the "
              "government of breaking a promise not to raise taxes on working people."),
        ("img", Image("Traders watch screens", "Traders at the stock exchange watch the budget speech on Wednesday.",
                      "Photo: Lee Chan for the Capital Ledger")),
        ("p", "Shares in housebuilders rose after the minister confirmed a scheme to guarantee mortgages for "
              "first-time buyers, while the pound was little changed against the dollar."),
    ),
    _story(
        "vaccine", "en", "Health Wire", "Dr Laura Mendes", "2025-01-14",
        "Malaria vaccine cuts child deaths by a fifth in first large rollout, study finds",
        "Researchers tracked 400,000 children in three countries over four years.",
        ("p", "Giving children the R21 malaria vaccine reduced deaths from all causes by 21% in areas where it was "
              "introduced, according to a study published on Tuesday in a leading medical journal."),
        ("p", "The research followed children in Ghana, Kenya and Malawi who received four doses of the vaccine "
              "between the ages of five months and two years, comparing them with children in districts that had "
              "not yet started the programme."),
        ("img", Image("A nurse gives a child an injection", "A nurse vaccinates a child at a health centre in Kisumu, Kenya.",
                      "© UNICEF/Olivia Brown")),
        ("p", "Hospital admissions for severe malaria fell by almost a third, the authors said, and there was no "
              "sign of the safety problems seen with an earlier vaccine in some trials."),
        ("h2", "Supply remains a problem"),
        ("p", "Only about 12 million doses were delivered last year, far fewer than the 80 million a year that the "
              "World Health Organization says are needed in Africa."),
        ("quote", "“The science is settled. What we need now is money and factories,” said Prof Kwame Asante, who led the study."),
        ("p", "The manufacturer said it would open a second plant next year, which could double production."),
    ),
    _story(
        "election", "en", "Northern Times", "Erik Larsen", "2024-09-09",
        "Centre-left wins most seats in tight election but falls short of majority",
        "Coalition talks are expected to take weeks after a record turnout.",
        ("p", "The Social Democrats won 31.4% of the vote in Sunday's parliamentary election, ahead of the "
              "conservative Moderates on 28.9%, according to the final count released on Monday morning."),
        ("p", "Turnout reached 84%, the highest in four decades, as voters queued into the night at polling "
              "stations in the capital, where the vote was extended by an hour."),
        ("img", Image("Supporters celebrate at the party's election night event",
                      "Supporters of the Social Democrats celebrate as exit polls are announced in the capital.",
                      "Photo: Nina Berg / NTB")),
        ("p", "Neither bloc has enough seats to govern alone. The Greens, who doubled their share to 9%, said they "
              "would only back a government that committed to phasing out oil exploration by 2040."),
        ("h2", "What happens next"),
        ("p", "The king will invite party leaders to the palace on Wednesday. The constitution sets out three steps:"),
        ("list", ["The speaker consults every party leader", "One leader is asked to form a government",
                  "Parliament votes on the new prime minister within 30 days"]),
        ("p", "Analysts said a minority government relying on case-by-case support was the most likely outcome."),
    ),
    _story(
        "quake", "en", "Pacific Daily", "Kenji Watanabe", "2025-02-02",
        "Strong earthquake shakes coastal cities; no tsunami warning issued",
        "The magnitude 6.8 quake struck 40km offshore at a depth of 30km.",
        ("p", "A magnitude 6.8 earthquake struck off the east coast early on Sunday, shaking buildings in several "
              "cities and cutting power to about 120,000 homes, the national weather agency said."),
        ("p", "There were no immediate reports of deaths. Eleven people were treated in hospital for minor injuries, "
              "most of them cuts from broken glass, according to the fire and disaster management agency."),
        ("img", Image("Cracked road after the earthquake", "A cracked road in Sendai after the earthquake on Sunday.",
                      "(Kyodo via Reuters)")),
        ("p", "The agency said there was no risk of a tsunami but warned that aftershocks of a similar size were "
              "possible over the next week and urged residents to stay away from steep slopes."),
        ("p", "Bullet train services were suspended for three hours while engineers checked the tracks, and the "
              "operator of a nearby nuclear plant said it had found no abnormalities."),
    ),
    _story(
        "football", "en", "Matchday Report", "Chris Doyle", "2024-05-25",
        "Late header wins the cup for underdogs in front of record crowd",
        "Ana Ruiz scored in the 89th minute to seal a first trophy in 47 years.",
        ("p", "Rovers beat the champions 2-1 in the final on Saturday, with defender Ana Ruiz heading in a corner "
              "a minute from the end of normal time to complete a comeback that few had thought possible."),
        ("img", Image("Ana Ruiz celebrates her goal", "Ana Ruiz celebrates after scoring the winning goal.",
                      "Photograph: Paul Kemp/Shutterstock")),
        ("p", "The champions had led through an early penalty, and Rovers' goalkeeper made three saves before the "
              "break to keep the score at 1-0."),
        ("p", "The equaliser came on the hour when substitute Jo Adams curled a shot into the top corner from 20 "
              "metres, her first goal since returning from a knee injury in March."),
        ("quote", "“I just closed my eyes and jumped. I still cannot believe it went in,” Ruiz said."),
        ("p", "A crowd of 81,200 watched the match, a record for a women's club game in the country."),
    ),
    _story(
        "moscow", "ru", "Городские новости", "Анна Петрова", "2024-11-12",
        "В Москве открыли новую линию метро",
        "Большая кольцевая линия стала самой длинной в мире кольцевой линией метрополитена.",
        ("p", "Мэр Москвы во вторник открыл последний участок Большой кольцевой линии метро, которая соединила "
              "одиннадцать радиальных направлений и стала самой длинной кольцевой линией в мире."),
        ("p", "По словам мэра, новая линия позволит сократить время поездок для трёх миллионов жителей и разгрузить "
              "центральные станции, где в часы пик образуются очереди у эскалаторов."),
        ("img", Image("Поезд на новой станции", "Первый поезд на станции «Ржевская» во вторник.",
                      "Фото: Иван Соколов/ТАСС")),
        ("p", "Строительство линии началось в 2011 году. Общая длина кольца составила 70 километров, на нём "
              "расположены 31 станция и три электродепо."),
        ("p", "Эксперты отмечают, что пассажиропоток на кольцевой линии в первые месяцы может быть ниже прогнозов."),
        encoding="windows-1251", declare_charset=False,
    ),
    _story(
        "tokyo", "ja", "東京ニュース", "山田花子", "2024-07-20",
        "東京で記録的な猛暑、熱中症で搬送相次ぐ",
        "都心の最高気温は39.5度に達し、観測史上最高を更新した。",
        ("p", "気象庁によると、二十日の東京都心の最高気温は三十九・五度に達し、観測を始めてから最も高い気温となった。"),
        ("p", "東京消防庁によると、同日午後六時までに熱中症の疑いで百二十人以上が救急搬送された。多くは高齢者だった。"),
        ("img", Image("日傘をさして歩く人々", "猛暑の中、日傘をさして歩く人々＝二十日、東京・銀座", "写真：共同通信")),
        ("p", "気象庁は、こまめな水分補給やエアコンの適切な使用など、熱中症への警戒を強く呼びかけている。"),
        ("p", "専門家は、今後一週間も厳しい暑さが続く見通しだとして、屋外での活動を控えるよう求めた。"),
        encoding="shift_jis", declare_charset=True,
    ),
]


# ------------------------------------------------------------------------------------- layouts


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _head(story: Story, extra: str = "") -> str:
    charset = f'<meta charset="{story.encoding}">' if story.declare_charset else ""
    return (
        f"<!DOCTYPE html>\n<html lang=\"{story.lang}\"><head>{charset}"
        f"<title>{_e(story.headline)} | {_e(story.outlet)}</title>"
        f'<meta name="description" content="{_e(story.standfirst)}">'
        f'<meta property="og:site_name" content="{_e(story.outlet)}">'
        f'<meta name="author" content="{_e(story.author)}">'
        f'<meta property="article:published_time" content="{story.date}T08:00:00Z">'
        f'<link rel="canonical" href="https://news.example/{story.slug}">'
        f'<link rel="stylesheet" href="https://cdn.news.example/site.css">'
        f"<script>window.dataLayer=[{{'page':'{story.slug}','secret':'SCRIPT_TEXT_MUST_NOT_APPEAR'}}];</script>"
        f"{extra}</head>"
    )


NAV = (
    '<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
    '<li><a href="/sport">Sport</a></li><li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li>'
    "<li><a href=\"/culture\">Culture</a></li></ul></nav>"
)
COOKIE = (
    '<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience and to show you '
    'personalised adverts. <a href="/privacy">Learn more</a></p><button>Accept all</button></div>'
)
FOOTER = (
    '<footer class="site-footer"><p>© 2024 News Example Media Ltd. All rights reserved. Registered in England.</p>'
    '<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/terms">Terms of use</a></li>'
    '<li><a href="/privacy">Privacy policy</a></li></ul></footer>'
)
RELATED = [
    "Why rivers are rising faster than before",
    "Ten things to pack before an emergency",
    "Opinion: our towns need better defences",
    "Watch: the night the water came",
]
COMMENTS = [
    ("river_rat", "Terrible news, hope everyone is safe. The council was warned years ago."),
    ("JohnS", "Where is the government in all this? Same story every year."),
]


def _paragraphs(story: Story, render_image, render_quote=None, render_list=None, paragraph="<p>{}</p>") -> str:
    out = []
    for kind, value in story.body:
        if kind == "p":
            out.append(paragraph.format(_e(value)))
        elif kind == "h2":
            out.append(f"<h2>{_e(value)}</h2>")
        elif kind == "quote":
            out.append(render_quote(value) if render_quote else f"<blockquote><p>{_e(value)}</p></blockquote>")
        elif kind == "list":
            out.append(render_list(value) if render_list else "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in value) + "</ul>")
        elif kind == "img":
            out.append(render_image(value))
    return "\n".join(out)


def _img_name(image: Image) -> str:
    return "".join(ch for ch in image.alt.lower() if ch.isalnum())[:24] or "photo"


def semantic(story: Story) -> str:
    def image(img: Image) -> str:
        return (
            f'<figure class="article-figure"><img src="https://img.news.example/{_img_name(img)}.jpg" alt="{_e(img.alt)}" '
            f'width="800" height="450"><figcaption>{_e(img.caption)} <span class="credit">{_e(img.credit)}</span></figcaption></figure>'
        )

    related = "".join(f'<li><a href="/r{i}">{_e(t)}</a></li>' for i, t in enumerate(RELATED))
    comments = "".join(
        f'<div class="comment"><span class="comment-author">{_e(u)}</span><p>{_e(t)}</p></div>' for u, t in COMMENTS
    )
    return (
        _head(story)
        + f"<body>{COOKIE}<header class=\"masthead\"><div class=\"logo\">{_e(story.outlet)}</div>{NAV}</header>"
        + '<main><article class="story">'
        + f'<header class="story-header"><h1>{_e(story.headline)}</h1><p class="standfirst">{_e(story.standfirst)}</p>'
        + f'<div class="byline">By <a rel="author" href="/authors/x">{_e(story.author)}</a></div>'
        + f'<time datetime="{story.date}">{story.date}</time></header>'
        + '<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>'
        + '<div class="story-body">'
        + _paragraphs(story, image)
        + "</div>"
        + '<div class="newsletter-signup"><h3>Get the morning briefing</h3><p>Sign up for our free daily newsletter.</p>'
        + '<form><input type="email" placeholder="Your email"><button>Sign up</button></form></div>'
        + "</article>"
        + f'<aside class="related-stories"><h3>Related stories</h3><ul>{related}</ul></aside>'
        + f'<section id="comments" class="comments"><h3>Comments (2)</h3>{comments}</section>'
        + "</main>"
        + FOOTER
        + "</body></html>"
    )


def wordpress(story: Story) -> str:
    def image(img: Image) -> str:
        return (
            f'<div class="wp-caption aligncenter" style="width: 810px"><img class="size-large" '
            f'src="https://news.example/wp-content/uploads/2024/{_img_name(img)}-1024x576.jpg" alt="{_e(img.alt)}" width="800" height="450">'
            f'<p class="wp-caption-text">{_e(img.caption)} {_e(img.credit)}</p></div>'
        )

    related = "".join(
        f'<div class="jp-relatedposts-post"><a href="/r{i}"><img src="https://news.example/r{i}.jpg" alt=""></a>'
        f'<h4 class="jp-relatedposts-post-title"><a href="/r{i}">{_e(t)}</a></h4></div>'
        for i, t in enumerate(RELATED[:3])
    )
    comments = "".join(
        f'<li class="comment"><div class="comment-author vcard"><cite class="fn">{_e(u)}</cite> says:</div>'
        f'<div class="comment-content"><p>{_e(t)}</p></div></li>'
        for u, t in COMMENTS
    )
    return (
        _head(story, '<meta name="generator" content="WordPress 6.4">')
        + '<body class="single single-post"><div id="page" class="site"><header id="masthead" class="site-header">'
        + f'<p class="site-title"><a href="/">{_e(story.outlet)}</a></p>{NAV}</header>'
        + '<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">'
        + '<article class="post type-post status-publish format-standard hentry">'
        + f'<header class="entry-header"><h1 class="entry-title">{_e(story.headline)}</h1>'
        + f'<div class="entry-meta"><span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/x">{_e(story.author)}</a></span></span>'
        + f' <span class="posted-on"><time class="entry-date published">{story.date}</time></span></div></header>'
        + '<div class="entry-content">'
        + f"<p><strong>{_e(story.standfirst)}</strong></p>"
        + _paragraphs(story, image)
        + '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Twitter</a></li>'
        + '<li><a href="#">Facebook</a></li></ul></div>'
        + f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3>{related}</div>'
        + "</div></article>"
        + f'<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on this post</h2><ol class="commentlist">{comments}</ol>'
        + '<div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea><input type="submit" value="Post Comment"></form></div></div>'
        + '</main></div><aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts</h2>'
        + "<ul><li><a href=\"/a\">Council meeting postponed again</a></li><li><a href=\"/b\">Library to reopen in spring</a></li></ul></section></aside>"
        + "</div></div>"
        + FOOTER
        + "</body></html>"
    )


def legacy(story: Story) -> str:
    def image(img: Image) -> str:
        credit = img.credit if img.credit.startswith("(") else f"({img.credit})"
        return (
            f'<br><br><table class="photo" align="right"><tr><td><img src="/images/{_img_name(img)}.jpg" alt="{_e(img.alt)}" width="300" height="200"></td></tr>'
            f'<tr><td><div class="photo-caption">{_e(img.caption)} {_e(credit)}</div></td></tr></table>'
        )

    def quote(text: str) -> str:
        return f"<br><br><blockquote>{_e(text)}</blockquote>"

    def items(values: list[str]) -> str:
        return "<br><br><ul>" + "".join(f"<li>{_e(v)}</li>" for v in values) + "</ul>"

    body = _paragraphs(story, image, quote, items, paragraph="<br><br>{}")
    body = body.replace("<h2>", "<br><br><b class=\"subhead\">").replace("</h2>", "</b>")
    menu = "".join(f'<tr><td class="menu"><a href="/s{i}">{s}</a></td></tr>' for i, s in enumerate(["Home", "Local", "Nation", "World", "Sports", "Weather", "Classifieds"]))
    return (
        _head(story)
        + '<body bgcolor="#ffffff"><table width="100%" cellpadding="0" cellspacing="0"><tr><td colspan="3">'
        + f'<img src="/images/logo.gif" alt="{_e(story.outlet)}"><div class="ad-leaderboard"><a href="https://ads.example/click"><img src="https://ads.example/banner.gif" alt="Advertisement"></a></div></td></tr>'
        + f'<tr><td width="160" valign="top"><table class="nav">{menu}</table></td>'
        + '<td valign="top" class="content">'
        + f'<font size="5"><b>{_e(story.headline)}</b></font><br>'
        + f'<i class="byline">By {_e(story.author)}, Staff Writer</i><br><span class="date">{story.date}</span><br><br>'
        + f"<div class=\"article-text\">{_e(story.standfirst)}{body}"
        + '<br><br><a href="/more">Read more: Latest local news</a>'
        + "</div>"
        + '<img src="https://stats.example/pixel.gif?id=123" width="1" height="1" alt="tracking">'
        + '</td><td width="200" valign="top" class="sidebar"><h3>Most popular</h3><ol>'
        + "".join(f"<li><a href=\"/p{i}\">{_e(t)}</a></li>" for i, t in enumerate(RELATED))
        + "</ol></td></tr></table>"
        + '<div class="footer">Copyright 2024. All rights reserved. <a href="/contact">Contact us</a></div>'
        + "</body></html>"
    )


def app(story: Story) -> str:
    def image(img: Image) -> str:
        name = _img_name(img)
        return (
            f'<div class="css-1x2y3z" data-component="image-block"><figure class="css-fig"><div class="css-ratio">'
            f'<img data-src="https://static.news.example/{name}.webp" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="{_e(img.alt)}" class="lazy">'
            f'<noscript><img src="https://static.news.example/{name}.webp" alt="{_e(img.alt)}"></noscript></div>'
            f'<figcaption class="css-caption"><span class="caption-text">{_e(img.caption)}</span>'
            f'<span class="credit" itemprop="copyrightHolder">{_e(img.credit)}</span></figcaption></figure></div>'
        )

    def quote(text: str) -> str:
        return f'<div data-component="quote-block"><blockquote class="css-quote"><p>{_e(text)}</p></blockquote></div>'

    paragraphs = _paragraphs(story, image, quote, paragraph='<div data-component="text-block"><p class="css-par">{}</p></div>')
    pull = next((str(v) for k, v in story.body if k == "p"), "")[:60]
    most_read = "".join(f'<li class="css-mr"><a href="/m{i}"><span>{i + 1}</span>{_e(t)}</a></li>' for i, t in enumerate(RELATED))
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{_e(story.headline)}","datePublished":"{story.date}","author":{{"@type":"Person","name":"{_e(story.author)}"}}}}</script>'
    )
    return (
        _head(story, ld)
        + f'<body><div id="root"><div class="css-app">{COOKIE}<div class="css-header">{NAV}</div>'
        + '<div class="css-main" role="main"><article data-testid="article">'
        + f'<div class="css-headline-block"><h1 class="css-h1" data-testid="headline">{_e(story.headline)}</h1>'
        + f'<p class="css-dek article-summary">{_e(story.standfirst)}</p></div>'
        + f'<div class="css-byline-block"><span class="css-byline">By <a href="/by/x">{_e(story.author)}</a></span>'
        + f'<time datetime="{story.date}">{story.date}</time></div>'
        + paragraphs
        + f'<aside class="css-pullquote" aria-hidden="true"><p>{_e(pull)}</p></aside>'
        + '<div class="css-ad ad-slot" data-ad="mid"><p>Advertisement</p></div>'
        + "<script>document.querySelectorAll('.lazy').forEach(function(i){i.src=i.dataset.src;});var msg='SCRIPT_TEXT_MUST_NOT_APPEAR';</script>"
        + "</article>"
        + f'<section class="css-most-read" data-testid="most-read"><h2>Most read</h2><ol>{most_read}</ol></section>'
        + "</div>"
        + FOOTER
        + "</div></div></body></html>"
    )


LAYOUTS = {"semantic": semantic, "wordpress": wordpress, "legacy": legacy, "app": app}


@dataclass
class Page:
    name: str
    data: bytes
    truth: str
    captions: list[str]
    credits: list[str]
    layout: str
    story: Story


def pages() -> list[Page]:
    """24 pages: every story in three of the four layouts (rotating), encoded as the story says."""
    out = []
    layouts = list(LAYOUTS)
    for index, story in enumerate(STORIES):
        for shift in range(3):
            layout = layouts[(index + shift) % len(layouts)]
            text = LAYOUTS[layout](story)
            out.append(
                Page(
                    name=f"{story.slug}-{layout}.html",
                    data=text.encode(story.encoding, "xmlcharrefreplace"),
                    truth=story.truth(),
                    captions=[image.caption for image in story.images()],
                    credits=[image.credit.strip("()") for image in story.images()],
                    layout=layout,
                    story=story,
                )
            )
    return out
