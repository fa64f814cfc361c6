// The room view: draws each snapshot from /room/events as plain text and runs the clocks.
"use strict";
let view = null;
let receivedAt = 0;

function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(seconds));
  const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
  const mm = String(m).padStart(2, "0"), ss = String(s).padStart(2, "0");
  return sign + (h ? `${h}:${mm}:${ss}` : `${m}:${ss}`);
}

function text(id, value) {
  const node = document.getElementById(id);
  if (node.textContent !== value) node.textContent = value;
}

function elapsed() {
  return view && view.running ? (Date.now() - receivedAt) / 1000 : 0;
}

function draw() {
  if (!view) return;
  text("title", view.title);
  text("sitting", view.sitting ? `${view.sitting.label}: ${view.sitting.status}` : "No sitting open");
  const floor = view.floor;
  text("floor-label", floor ? floor.label : "—");
  text("floor-title", floor ? floor.title : "Nothing on the floor");
  text("floor-used", floor ? clock(floor.used + elapsed()) : "");
  text("floor-planned", floor && floor.planned ? ` / ${clock(floor.planned)}` : "");
  const list = document.getElementById("speaker-list");
  const items = view.speakers.map((speaker) => {
    const li = document.createElement("li");
    const seconds = speaker.seconds + (speaker.status === "speaking" ? elapsed() : 0);
    let line = speaker.who;
    if (speaker.kind && speaker.kind !== "statement") line += ` (${speaker.kind.replace(/_/g, " ")})`;
    if (speaker.status === "speaking") {
      li.className = "speaking";
      line = `▶ ${line} ${clock(seconds)}`;
      if (speaker.limit) {
        line += ` / ${clock(speaker.limit)}`;
        if (seconds > speaker.limit) li.className += " over";
      }
    }
    li.textContent = line;
    return li;
  });
  list.replaceChildren(...items);
  const decisions = document.getElementById("decision-list");
  decisions.replaceChildren(...view.decisions.map((decision) => {
    const li = document.createElement("li");
    li.textContent = `${decision.label}: ${decision.text}`;
    return li;
  }));
  document.body.dataset.seq = String(view.seq);
}

const events = new EventSource("/room/events");
events.onmessage = (message) => {
  view = JSON.parse(message.data);
  receivedAt = Date.now();
  text("link", "live");
  draw();
};
events.onerror = () => text("link", "reconnecting…");
setInterval(draw, 1000);
