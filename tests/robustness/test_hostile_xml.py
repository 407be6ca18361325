"""Regression for #10: XML in feeds and pages is data, never a way to read local files or exhaust memory.

External entities (XXE) must not be resolved, and entity-expansion bombs ("billion laughs") must neither expand
nor hang. The secret is a file we write ourselves, so the test fails if its content ever reaches a document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.readers import read

SECRET = "rasd-secret-7f3a9c"


def _billion_laughs(levels: int = 9) -> str:
    ents = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels + 1):
        ents.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    return "<!DOCTYPE lolz [" + "".join(ents) + "]>"


def _xxe(secret_path: Path) -> str:
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret_path}">]>'


RSS = (
    '<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
    "<description>قصف مدفعي على حلب {ref} ثم انسحاب</description></item></channel></rss>\n"
)
ATOM = (
    '<?xml version="1.0"?>\n{doctype}\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
    "<entry><id>1</id><title>x</title><content type='html'>قصف مدفعي على حلب {ref} ثم انسحاب</content>"
    "</entry></feed>\n"
)
HTML = (
    "<!DOCTYPE html>\n{doctype}\n<html><head><title>t</title></head><body><article><p>قصف مدفعي على حلب {ref}"
    " ثم انسحاب القوات من المنطقة بعد ساعات من الاشتباكات العنيفة.</p></article></body></html>\n"
)


@pytest.mark.parametrize(
    ("name", "template"),
    [("feed.rss", RSS), ("feed.atom", ATOM), ("page.html", HTML)],
    ids=["rss", "atom", "html"],
)
@pytest.mark.parametrize("attack", ["xxe", "billion_laughs"])
def test_entities_are_not_expanded(tmp_path: Path, name: str, template: str, attack: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    if attack == "xxe":
        doctype, ref = _xxe(secret), "&xxe;"
    else:
        doctype, ref = _billion_laughs(), "&lol9;"
    path = tmp_path / name
    path.write_text(template.format(doctype=doctype, ref=ref), encoding="utf-8")
    reader = read([path])
    docs = list(reader)
    texts = " ".join(d.text for d in docs)
    assert SECRET not in texts
    assert texts.count("lol") < 100  # no expansion (10**9 'lol' if it were)
    # the article itself is still read (or refused with a clear error), never silently dropped
    assert docs or reader.errors
    assert all("حلب" in d.text for d in docs)
