"""Reading editor pages in tests: the fields of a rendered form, as a browser would submit them."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0  # > 0 inside the wanted form
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if self.depth:
                self.depth += 1
            elif self.form_id is None or a.get("id") == self.form_id:
                self.depth = 1
            return
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs the form ``form_id`` (or the first form) would submit, in order."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


class FormData:
    """A rendered form's fields, to change before posting (``data["name"] = "1"``)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = list(pairs)

    def __getitem__(self, name: str) -> str:
        for key, value in self.pairs:
            if key == name:
                return value
        raise KeyError(name)

    def __setitem__(self, name: str, value: str) -> None:
        for index, (key, _) in enumerate(self.pairs):
            if key == name:
                self.pairs[index] = (key, value)
                return
        self.pairs.append((name, value))

    def __contains__(self, name: str) -> bool:
        return any(key == name for key, _ in self.pairs)

    def names(self, prefix: str) -> list[str]:
        return [key for key, _ in self.pairs if key.startswith(prefix)]

    def post(self, **extra: str) -> dict[str, list[str]]:
        """The data for the test client: every value of a name, in order, plus ``extra``."""
        data: dict[str, list[str]] = {}
        for key, value in self.pairs:
            data.setdefault(key, []).append(value)
        for key, value in extra.items():
            data[key] = [value]
        return data
