"""QR codes for the workspace pages: inline SVG that scales with its box and keeps its quiet zone."""

from django.utils.safestring import SafeString, mark_safe

import segno

# Four modules of light margin on every side, as ISO/IEC 18004 asks; scanners need it to find the code.
QUIET_ZONE = 4


def qr_svg(data: str, *, title: str) -> SafeString:
    """The code as inline SVG with a viewBox and no fixed size, so CSS sizes it whole (never clipped).

    segno writes the markup itself from ``data`` and escapes the title; nothing else goes in.
    """
    svg = segno.make(data, error="m").svg_inline(
        scale=1, border=QUIET_ZONE, omitsize=True, title=title, svgclass="qr-code", lineclass=None, light="#fff"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
