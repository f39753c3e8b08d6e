// Reads a server-sent event stream: calls onEvent(name, data) for each event whose block has
// a data line (keep-alive comments are skipped). Shared by the load scripts' Node clients.
export function onEvents(res, onEvent) {
  let buf = "";
  res.setEncoding("utf8");
  res.on("data", (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const lines = buf.slice(0, i).split("\n");
      buf = buf.slice(i + 2);
      const data = lines.find((l) => l.startsWith("data:"));
      if (!data) continue;
      const name = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      onEvent(name, data.slice(5));
    }
  });
}
