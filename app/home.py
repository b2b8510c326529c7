"""`/`: where a newcomer starts — links to the live demo, the dashboard and the documentation."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

router = APIRouter()
DOCS = Path(__file__).resolve().parents[1] / "docs"  # present in a clone; not in an installed wheel


def _docs() -> list[Path]:
    return sorted(DOCS.glob("*.md")) if DOCS.is_dir() else []


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> str:
    demo = getattr(request.app.state, "demo", None) is not None
    demo_line = ('<li><a href="/demo">演示页</a>：三级群聊并排、以任何人的身份发消息、点审批卡片、看每个人和公众号的私聊</li>'
                 if demo else '<li>演示页 <code>/demo</code> 只在 <code>jobmatrix demo</code> 下提供</li>')
    docs = "".join(f'<li><a href="/handbook/{html.escape(p.name)}">{html.escape(_title(p))}</a></li>' for p in _docs())
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>JobMatrix</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:720px;margin:24px auto;padding:0 16px;line-height:1.6}}</style>
</head><body><h1>JobMatrix · 就业信息三级群矩阵</h1><ul>
{demo_line}
<li><a href="/dashboard">数据看板</a>：按时率、覆盖率、各员工作量（需要管理令牌）</li>
<li><a href="/docs">接口文档</a>（管理接口与回调地址）</li>
</ul><h2>使用文档</h2><ul>{docs or "<li>本安装不含 docs/ 目录</li>"}</ul></body></html>"""


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


@router.get("/handbook/{name}", response_class=PlainTextResponse)
def handbook(name: str) -> str:
    """A document of docs/ as its Markdown text (names come from the listing, never a path)."""
    for path in _docs():
        if path.name == name:
            return path.read_text(encoding="utf-8")
    raise HTTPException(404, f"没有文档 {name}")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """No icon: an empty answer instead of a 404 in every browser console (plain-text pages ask too)."""
    return Response(status_code=204)
