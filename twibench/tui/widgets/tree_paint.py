"""Drawing a Tree's lines with the work that is the same for every line done once per repaint.

Textual's `Tree._render_line` works out, for each line it draws, the widget's style (a walk up every
ancestor), the three guide styles, the guide strings, the label styles and the reactive values it reads
(hover and cursor lines, focus, guide depth), and copies each label twice on its way to the line. The
collection tree draws ~34 lines in the first frame, so that was ~4 ms of it (bench/tui_startup.py).
`PaintedTree` computes all of that once per `render_lines` call (a `Paint`) and builds each line from it;
the lines are exactly Textual's (tests/tui/test_tree_paint.py draws every line both ways and compares).
Labels are drawn here, not by `render_label`: a subclass changes its labels through their Text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Self, TypeVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text, TextType
from textual._segment_tools import line_pad  # Tree's own padding helper (textual is pinned)
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE, _TreeLine

if TYPE_CHECKING:
    from rich.console import Console
    from textual.css.styles import RenderStyles
    from textual.geometry import Region
    from textual.widgets.tree import TreeNode

DataT = TypeVar("DataT")

Guides = tuple[str, str, str, str]
"""Space, vertical, terminator and cross, as Textual's `get_guides` makes them."""


@dataclass(eq=False, repr=False)  # not slots=True: that builds the class twice (~0.3 ms before the first frame)
class Paint:
    """What every line of one repaint shares: styles, guides, and the tree's state while it is drawn."""

    lines: dict[str, Guides]
    """The tree's guide characters (`Tree.LINES`)."""
    base: Style
    """The widget's style (`Widget.rich_style`)."""
    console: Console
    width: int
    pad_width: int
    hover_line: int
    cursor_line: int
    has_focus: bool
    show_guides: bool
    guide_depth: int
    base_hidden: bool
    hover_hidden: bool
    selected_hidden: bool
    guide: Style
    guide_hover: Style
    guide_selected: Style
    highlight_line: Style
    label: Style
    highlight: Style
    cursor: Style
    _guides: dict[tuple[Style, bool], Guides] = field(default_factory=dict)

    def guides(self, style: Style, hidden: bool) -> Guides:
        """Textual's `get_guides`, once per style."""
        guides = self._guides.get((style, hidden))
        if guides is None:
            lines: Guides
            if self.show_guides and not hidden:
                lines = self.lines["default"]
                if style.bold:
                    lines = self.lines["bold"]
                elif style.underline2:
                    lines = self.lines["double"]
            else:
                lines = ("  ", "  ", "  ", "  ")
            depth = max(0, self.guide_depth - 2)
            space, vertical, terminator, cross = (f"{chars[0]}{chars[1] * depth} " for chars in lines)
            guides = self._guides[(style, hidden)] = (space, vertical, terminator, cross)
        return guides


class PaintedTree(Tree[DataT], Generic[DataT]):
    """A Tree whose lines are built from one `Paint` per repaint; its guide styles are kept until then too."""

    def __init__(self, label: TextType, *, id: str | None = None) -> None:
        self._component_cache: dict[tuple[str, ...], RenderStyles] = {}  # before Textual's first refresh
        self._paint: Paint | None = None
        super().__init__(label, id=id)

    def get_component_styles(self, *names: str) -> RenderStyles:
        """Textual's, kept until the next repaint: building them is costly, and the filter redraws every line."""
        styles = self._component_cache.get(names)
        if styles is None:
            styles = self._component_cache[names] = super().get_component_styles(*names)
        return styles

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """Textual's, forgetting the component styles when it repaints (as it forgets its own style cache)."""
        if repaint:
            self._component_cache.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        """New CSS (theme, focus): the component styles are read again."""
        self._component_cache.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's, with the lines drawn from one `Paint`."""
        self._paint = self._new_paint()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        """Textual's `Tree.render_line`, without the widget style it works out again for each line."""
        paint = self._paint
        if paint is None:  # one line drawn outside `render_lines`: Textual's, which calls `_render_line` below
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + paint.width, paint.base)

    def _new_paint(self) -> Paint:
        style = self.get_component_styles
        rich = self.get_component_rich_style
        guide = rich("tree--guides", partial=True)
        return Paint(
            lines=self.LINES,
            base=self.rich_style,
            console=self.app.console,
            width=self.size.width,
            pad_width=max(self.virtual_size.width, self.size.width),
            hover_line=self.hover_line,
            cursor_line=self.cursor_line,
            has_focus=self.has_focus,
            show_guides=self.show_guides,
            guide_depth=self.guide_depth,
            base_hidden=style("tree--guides").color.a == 0,
            hover_hidden=style("tree--guides-hover").color.a == 0,
            selected_hidden=style("tree--guides-selected").color.a == 0,
            guide=guide,
            guide_hover=guide + rich("tree--guides-hover", partial=True),
            guide_selected=guide + rich("tree--guides-selected", partial=True),
            highlight_line=rich("tree--highlight-line"),
            label=rich("tree--label", partial=True),
            highlight=rich("tree--highlight", partial=True),
            cursor=rich("tree--cursor", partial=False),
        )

    def process_label(self, label: TextType) -> Text:
        """Textual's (a label's first line), keeping a one-line Text as it is: the tree makes a new one for
        every node, and Textual's copy of it (twice a node: `add`, then the node) is most of adding a node."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[DataT]) -> int:
        """Textual's (the width of `render_label`'s text) without building the text: Tree asks it of every
        line when it lays the lines out."""
        icon = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node._allow_expand else ""
        return cell_len(icon) + node._label.cell_len

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Textual's, with the line built by `_paint_line` (same cache, same key)."""
        paint = self._paint or self._new_paint()
        tree_lines = self._tree_lines
        if y >= len(tree_lines):
            return Strip.blank(paint.width, base_style)
        line = tree_lines[y]
        is_hover = paint.hover_line >= 0 and any(node._hover for node in line.path)
        cache_key = (
            y,
            is_hover,
            paint.width,
            self._updates,
            self._pseudo_class_state,
            tuple(node._updates for node in line.path),
        )
        strip = self._line_cache.get(cache_key)
        if strip is None:
            strip = self._line_cache[cache_key] = self._paint_line(paint, y, line, is_hover)
        return strip.crop(x1, x2)

    def _paint_line(self, paint: Paint, y: int, line: _TreeLine[DataT], is_hover: bool) -> Strip:
        """One line as Textual's `_render_line` and `render_label` build it: the same spans in the same order."""
        path = line.path
        line_style = (paint.highlight_line if is_hover else paint.base) + Style(meta={"line": y})
        text = Text(style=line_style)
        guide_style = paint.guide
        hidden = True
        hover = path[0]._hover
        selected = path[0]._selected and paint.has_focus
        node = path[-1]
        for step in path[1:]:
            hidden = paint.base_hidden
            if hover:
                guide_style, hidden = paint.guide_hover, paint.hover_hidden
            if selected:
                guide_style, hidden = paint.guide_selected, paint.selected_hidden
            if step is not node:
                space, vertical, _, _ = paint.guides(guide_style, hidden)
                text.append(space if step.is_last else vertical, style=guide_style)
            hover = hover or step._hover
            selected = (selected or step._selected) and paint.has_focus
        if len(path) > 1:
            _, _, terminator, cross = paint.guides(guide_style, hidden)
            text.append(terminator if line.last else cross, style=guide_style)

        label_style = paint.label
        if paint.hover_line == y:
            label_style += paint.highlight
        if paint.cursor_line == y:
            label_style += paint.cursor
        start = len(text)
        if node._allow_expand:
            text.append(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, line_style + TOGGLE_STYLE)
        label_start = len(text)
        text.append(node._label)
        text.stylize(label_style, label_start)
        text.stylize(Style(meta={"node": node._id}), start)

        segments = line_pad(text.render(paint.console), 0, paint.pad_width - text.cell_len, line_style)
        return Strip(segments)
