"""Regenerate the reader samples in this folder from examples/news.jsonl (real SaudiNewsNet articles).

    .venv/bin/python tests/data/readers/make_samples.py

The outputs are committed; tests read them, never this script's inputs.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def articles() -> dict[str, dict]:
    out = {}
    for line in (ROOT / "examples" / "news.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        out[rec["id"]] = rec
    return out


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def page_html(rec: dict, charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(rec["text"]))
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<title>{html.escape(rec["title"])} | صحيفة الجزيرة</title>
<meta property="og:title" content="{html.escape(rec["title"])}">
<meta name="author" content="{html.escape(rec.get("author") or "")}">
<meta property="article:published_time" content="{rec["published"]}T09:30:00+03:00">
<meta property="og:site_name" content="صحيفة الجزيرة">
<link rel="canonical" href="{html.escape(rec["url"])}">
</head>
<body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/local">محليات</a></li><li><a href="/world">دوليات</a></li>
<li><a href="/sport">رياضة</a></li><li><a href="/contact">اتصل بنا</a></li></ul></nav>
<div class="ad">إعلان: اشترك الآن في النشرة البريدية واحصل على خصم خاص</div>
<article>
<h1>{html.escape(rec["title"])}</h1>
{body}
</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/a/1">ارتفاع أسعار النفط في الأسواق العالمية</a></li>
<li><a href="/a/2">الهلال يفوز على النصر في الدوري</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة © صحيفة الجزيرة 2015</p><p>سياسة الخصوصية | شروط الاستخدام</p></footer>
</body>
</html>
"""


def page_txt(rec: dict, when: str, views: str = "1,204") -> str:
    return (
        f"{rec['title']}\n"
        f"الكاتب : {rec.get('author') or 'المحرر'}\n"
        f"التاريخ : {when}\n"
        f"المشاهدات : {views}\n\n" + "\n\n".join(paragraphs(rec["text"])) + "\n"
    )


def rss(items: list[dict]) -> str:
    entries = []
    for n, rec in enumerate(items):
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(rec["text"]))
        guid = f'<guid isPermaLink="false">{rec["id"]}</guid>' if n != 1 else ""
        entries.append(
            f"""<item>
<title>{html.escape(rec["title"])}</title>
<link>{html.escape(rec["url"])}</link>
{guid}
<pubDate>{rec["pubdate"]}</pubDate>
<description>{html.escape(paragraphs(rec["text"])[0][:120])}</description>
<content:encoded><![CDATA[{content}]]></content:encoded>
</item>"""
        )
    entries.append("<item><title>عنوان بلا محتوى</title><link>https://example.org/empty</link></item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
        "<title>أخبار سوريا</title>\n<link>https://example.org/</link>\n<description>عينة اختبار</description>\n"
        + "\n".join(entries)
        + "\n</channel>\n</rss>\n"
    )


def atom(rec: dict) -> str:
    return f"""<?xml version="1.0" encoding="windows-1256"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>وكالة الأنباء</title>
<id>urn:example:feed</id>
<updated>2015-08-10T12:00:00Z</updated>
<entry>
<title>{html.escape(rec["title"])}</title>
<id>{rec["id"]}</id>
<link href="{html.escape(rec["url"])}"/>
<published>2015-08-10T08:00:00Z</published>
<updated>2015-08-10T08:00:00Z</updated>
<author><name>واس</name></author>
<content type="html">{html.escape("".join(f"<p>{p}</p>" for p in paragraphs(rec["text"])))}</content>
</entry>
</feed>
"""


def warc(recs: list[dict]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    first, second = recs

    def response(url: str, payload: bytes, ctype: str, date: str, rid: str) -> None:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:{rid}>"},
        )
        writer.write_record(rec)

    req = writer.create_warc_record(
        first["url"],
        "request",
        payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"),
        warc_headers_dict={"WARC-Date": "2015-08-01T10:00:00Z"},
    )
    writer.write_record(req)
    response(
        first["url"],
        page_html(first).encode("utf-8"),
        "text/html; charset=utf-8",
        "2015-08-01T10:00:00Z",
        "11111111-2222-3333-4444-555555555555",
    )
    response(
        "https://example.org/logo.png",
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        "image/png",
        "2015-08-01T10:00:01Z",
        "22222222-2222-3333-4444-555555555555",
    )
    response(
        second["url"],
        page_txt(second, "1 أغسطس 2015 م").encode("cp1256"),
        "text/plain",
        "2015-08-02T10:00:00Z",
        "33333333-2222-3333-4444-555555555555",
    )
    return buf.getvalue()


def main() -> None:
    arts = articles()
    (HERE / "article.html").write_text(page_html(arts["snn-aljazirah-snn-5320"]), encoding="utf-8")
    (HERE / "article_cp1256.html").write_bytes(
        page_html(arts["snn-aljazirah-snn-16719"], charset="windows-1256").encode("cp1256")
    )
    (HERE / "page_cp1256.txt").write_bytes(
        page_txt(arts["snn-alyaum-snn-11192"], "الأربعاء 5 آب 2015").encode("cp1256")
    )
    (HERE / "page_iso8859_6.txt").write_bytes(
        page_txt(arts["snn-was-snn-30992"], "10/08/2015").encode("iso8859_6")
    )
    (HERE / "page_bom.txt").write_bytes(
        b"\xef\xbb\xbf" + page_txt(arts["snn-okaz-snn-17442"], "٣ آب/أغسطس ٢٠١٥", "١٬٢٠٤").encode()
    )
    items = [
        dict(arts["snn-aleqtisadiya-snn-708"], pubdate="Tue, 21 Jul 2015 08:00:00 +0300"),
        dict(arts["snn-okaz-snn-17442"], pubdate="Mon, 03 Aug 2015 10:00:00 +0300"),
        dict(
            id="en-1",
            title="Barrel bombs hit al-Bab",
            url="https://example.org/en/1",
            pubdate="Tue, 28 Jul 2015 10:00:00 +0000",
            text="Syrian government helicopters dropped barrel bombs on the town of al-Bab in the Aleppo countryside on "
            "Tuesday, killing at least twelve people, according to a monitoring group based in Britain.",
        ),
    ]
    (HERE / "feed.rss").write_text(rss(items), encoding="utf-8")
    (HERE / "feed_cp1256.atom").write_bytes(atom(arts["snn-was-snn-30992"]).encode("cp1256"))
    (HERE / "capture.warc.gz").write_bytes(
        warc([arts["snn-alweeam-snn-14380"], arts["snn-aleqtisadiya-snn-11656"]])
    )
    lines = [
        json.dumps(
            {k: arts["snn-aawsat-snn-13255"][k] for k in ("id", "title", "published", "text")},
            ensure_ascii=False,
        ),
        '{"id": "broken", "text": "مقتل ثلاثة',
        "",
        json.dumps(
            {"title": "بلا معرف", "text": "سقطت قذائف على حي جوبر في دمشق.", "published": "yesterday"},
            ensure_ascii=False,
        ),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "no-text", "title": "عنوان"}, ensure_ascii=False),
        json.dumps(
            {k: arts["snn-was-snn-30992"][k] for k in ("id", "url", "source", "published", "text")},
            ensure_ascii=False,
        ),
    ]
    (HERE / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "binary.txt").write_bytes(bytes(range(256)) * 8)


if __name__ == "__main__":
    main()
