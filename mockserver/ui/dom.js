// Building the page's elements. Every value from the server (a request body is hostile input)
// goes in as text through textContent, never as markup.

// An element with optional class and text: el("td", "status", "200").
export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

// Replaces an element's children with `children` (nothing when none).
export function replaceChildren(parent, children = []) {
  parent.replaceChildren(...children);
}

// A body as the reader wants it: JSON pretty-printed, other text as it came, binary as a note
// and its base64. An empty body stays empty (the stylesheet says so), so the text is the body.
export function readableBody(holder) {
  if (holder.body_base64 !== undefined) {
    return `(binary, ${Math.floor((holder.body_base64.length * 3) / 4)} bytes, base64)\n` +
      holder.body_base64;
  }
  const text = holder.body ?? "";
  if (text === "") return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// [[name, value], ...] as rows of a two-column table.
export function headerRows(pairs) {
  return (pairs ?? []).map(([name, value]) => {
    const row = el("tr");
    row.append(el("td", "", name), el("td", "", value));
    return row;
  });
}
