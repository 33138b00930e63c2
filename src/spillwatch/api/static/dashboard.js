// spillwatch dashboard: draws the API's figures with the locally served plotly.js.
// No inline script (the page's Content-Security-Policy forbids it); no third-party requests.
"use strict";

let refreshMs = 30000;
let timer = null;
// as spillwatch.plotting.style.PLOT_CONFIG: no "share" button (plotly.js 3 shows one by
// default, and it sends the chart's data to Plotly's cloud)
const PLOT_CONFIG = {displaylogo: false, responsive: true, showSendToCloud: false};
let dataVersion = null;
let shownDay = null;
// a past evening's market date (its summary's) and the server's name and version: the header
let marketOf = null;
let metaLine = null;
// a card's request failed in passing (no answer, a 5xx, a 429): the next poll draws the cards
// again though the data did not change (such a card read "not available" until they did: a day
// on a real store; a preset list that failed once kept Run off as long)
let redraw = false;

function el(id) { return document.getElementById(id); }

function text(tag, content, cls) {
  const node = document.createElement(tag);
  node.textContent = content == null ? "" : String(content);
  if (cls) node.className = cls;
  return node;
}

// A refusal's detail as a line to read: FastAPI's 422 is a list of errors, which printed as
// raw JSON ("scenario failed: [{"type":"string_pattern_mismatch",...}]")
function detailText(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    // each error names its field ("Input should be greater than or equal to 100" under an
    // emptied paths field said not which), unless its message already does ("sellers: …")
    return detail.map((e) => {
      if (!e || !e.msg) return JSON.stringify(e);
      const where = (Array.isArray(e.loc) ? e.loc : []).filter((x) => x !== "body");
      const last = where.filter((x) => typeof x === "string").pop();
      return where.length && !(last && e.msg.startsWith(last + ":"))
        ? where.join(".") + ": " + e.msg : e.msg;
    }).join("; ");
  }
  return JSON.stringify(detail);
}

// The evening the page shows (?as_of=YYYY-MM-DD in its address), or null for the latest data:
// the dashboard of a past evening is `spillwatch run --as-of`'s report of it.
function asOf() {
  // a date written otherwise (a hand-typed link's 2025-4-9) is sent as written: the server's
  // refusal is shown on every card (dropping it showed today's data under that link)
  const v = new URLSearchParams(window.location.search).get("as_of");
  return v ? v.trim() : null;
}

// A view's address on the evening shown (the latest data's when none is chosen).
function dated(url) {
  const day = asOf();
  return day ? url + (url.includes("?") ? "&" : "?") + "as_of=" + encodeURIComponent(day)
             : url;
}

// `signal`: the wait ends at once when the page leaves the evening (a card answered "busy"
// waited out its Retry-After, up to 20 s, and the evening chosen waited behind it)
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = window.setTimeout(resolve, ms);
    if (signal) signal.addEventListener("abort", () => { window.clearTimeout(t); resolve(); },
                                        {once: true});
  });
}

// The requests of the evening shown. Leaving it (another evening, "latest", back or forward)
// cancels those still out: the browser keeps six connections to a server, and an old
// evening's views still building on it held them, so the evening chosen waited (minutes on a
// past evening of real data) before its first card was asked for. A scenario run is not
// one of them (it says where it ran when it ends).
let requests = new AbortController();

function leaveEvening() {
  requests.abort(new Error("the page left this evening"));
  requests = new AbortController();
}

async function getJSON(url, options) {
  let resp, body;
  const day = asOf();
  const signal = requests.signal;
  // a past evening's views are built on request, a few at a time: the server answers the
  // others "busy" with Retry-After, and they are asked again (not shown as "not available"),
  // at most 20 s apart (asked early, a request keeps its turn), until the page leaves that
  // evening ("latest" waited minutes behind the old evening's retries)
  for (let attempt = 0; ; attempt++) {
    try {
      resp = await fetch(url, {...options, signal});
    } catch (e) {          // no answer (the server restarting, the network): passing
      e.transient = !signal.aborted;     // cancelled: the evening left, not to ask again
      throw e;
    }
    body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (signal.aborted) throw signal.reason;
    const busy = resp.status === 503 && body && typeof body.detail === "string" &&
      body.detail.startsWith("busy");
    if (!busy || attempt >= 20) break;
    await sleep(1000 * Math.min(20, Number(resp.headers.get("Retry-After")) || 2), signal);
    if (signal.aborted) throw signal.reason;
    if (asOf() !== day) break;
  }
  if (!resp.ok) {
    const detail = body && body.detail ? body.detail : resp.statusText;
    const err = new Error(detailText(detail));
    err.status = resp.status;
    // a refusal of the request or of the evening (4xx) stands, and so does a view the data
    // cannot compute (a 503 with its reason and no Retry-After: asked at each poll, every card
    // was drawn again every poll); a server busy, restarting or waiting for its store passes
    err.transient = resp.status === 429 || resp.status === 502 || resp.status === 504 ||
      (resp.status === 503 && resp.headers.has("Retry-After"));
    throw err;
  }
  return body;
}

function token() {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem("spillwatch-token", decodeURIComponent(m[1]));
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem("spillwatch-token") || "";
}

// A card's request failed: one that may pass is asked again at the next poll.
function failed(err) {
  if (err && err.transient) redraw = true;
}

function unavailable(card, reason) {
  const plot = card.querySelector(".plot");
  if (plot && window.Plotly) Plotly.purge(plot);
  const na = card.querySelector(".na");
  na.textContent = "not available: " + (reason || "unknown reason");
  na.hidden = false;
  card.dataset.state = "unavailable";
}

// A card whose evening is being drawn: the chart of the evening left is taken down at once (it
// stood under the new evening's banner until its own arrived: the latest gauge, 11, for 1.5 s
// under "THE EVENING OF 2025-05-21", the latest crypto chart for 4 s, on the real store).
function loading(card, day) {
  const plot = card.querySelector(".plot");
  if (plot && window.Plotly) Plotly.purge(plot);
  const na = card.querySelector(".na");
  na.textContent = "loading " + (day ? "the evening of " + day : "the latest data") + "…";
  na.hidden = false;
  card.dataset.state = "loading";
}

// A figure's title and the notes under its chart, wrapped again to the width the chart is drawn
// at: they are wrapped for the report's printed page (655 px), and on a phone (390 px, a chart of
// 352) the stress gauge's title lost "index 0.352, signature unavailable (…", the demand dial's
// "(90% of the gauge's evidence)" and each STALE note both its ends past the card's edge. The
// margins grow by a line for each line added, as the server's layout does (18 px a title line,
// 15 px a note line).
const TITLE_LINE_PX = 18;
const NOTE_LINE_PX = 15;
const PLOTLY_FONT = '"Open Sans", verdana, arial, sans-serif';   // plotly.js's default face
let measurer = null;

function textPx(s, size, family) {
  if (!measurer) measurer = document.createElement("canvas").getContext("2d");
  measurer.font = size + "px " + family;
  return measurer.measureText(s.replace(/<[^>]*>/g, "")).width;
}

// The tags still open after `s`, given those open before it (plotly's pseudo-HTML: <b>, <sup>,
// <span style=…>).
function stillOpen(s, open) {
  const out = open.slice();
  for (const m of s.matchAll(/<(\/?)([a-z]+)[^>]*>/gi)) {
    const name = m[2].toLowerCase();
    if (name === "br") continue;
    if (!m[1]) { out.push({name, tag: m[0]}); continue; }
    const at = out.map((o) => o.name).lastIndexOf(name);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}

// One line of a title or note as the lines that fit `maxPx`, broken between words (not inside a
// tag); a tag open at a break is closed there and opened again on the next line.
function wrapLine(line, maxPx, size, family) {
  if (textPx(line, size, family) <= maxPx) return [line];
  const words = [];
  let word = "";
  let inTag = false;
  for (const ch of line) {
    if (ch === "<") inTag = true;
    else if (ch === ">") inTag = false;
    if (ch === " " && !inTag) { words.push(word); word = ""; } else word += ch;
  }
  words.push(word);
  const lines = [];
  let acc = "";
  for (const w of words) {
    const trial = acc ? acc + " " + w : w;
    if (acc && textPx(trial, size, family) > maxPx) { lines.push(acc); acc = w; }
    else acc = trial;
  }
  lines.push(acc);
  let open = [];
  return lines.map((ln) => {
    const head = open.map((o) => o.tag).join("");
    open = stillOpen(ln, open);
    return head + ln + open.slice().reverse().map((o) => "</" + o.name + ">").join("");
  });
}

function rewrap(text, maxPx, size, family) {
  const lines = String(text).split(/<br\s*\/?>/i);
  const out = lines.flatMap((ln) => wrapLine(ln, maxPx, size, family));
  return {text: out.join("<br>"), added: out.length - lines.length};
}

// `layout` with its title and its notes under the chart (note_below's: centred, hung from the
// plot's foot) wrapped to a chart `width` px wide; the layout itself when everything fits.
function fitLayout(layout, width) {
  if (!layout || !(width > 0)) return layout;
  const family = (layout.font && layout.font.family) || PLOTLY_FONT;
  const margin = {...(layout.margin || {})};
  const fit = {...layout};
  let grow = 0;
  const title = layout.title;
  if (title && title.text) {
    const r = rewrap(title.text, 0.99 * width - 16, (title.font && title.font.size) || 17,
                     family);
    if (r.added) {
      fit.title = {...title, text: r.text};
      margin.t = (margin.t == null ? 100 : margin.t) + TITLE_LINE_PX * r.added;
      grow += TITLE_LINE_PX * r.added;
    }
  }
  if (Array.isArray(layout.annotations)) {
    // centred on the plot area, which sits |l - r| px off the figure's middle
    const room = width - Math.abs((margin.l || 0) - (margin.r || 0)) - 16;
    fit.annotations = layout.annotations.map((a) => {
      if (!a || !a.text || a.xref !== "paper" || a.yref !== "paper" || a.y !== 0 ||
          a.yanchor !== "top") return a;
      const r = rewrap(a.text, room, (a.font && a.font.size) || 12, family);
      if (!r.added) return a;
      margin.b = (margin.b == null ? 80 : margin.b) + NOTE_LINE_PX * r.added;
      grow += NOTE_LINE_PX * r.added;
      return {...a, text: r.text};
    });
  }
  if (!grow) return layout;
  fit.margin = margin;
  if (typeof layout.height === "number") fit.height = layout.height + grow;
  return fit;
}

async function drawFigure(card, status) {
  const name = card.dataset.figure;
  if (!status || !status.available) {
    unavailable(card, status ? status.reason : "this view is unknown to the server");
    return;
  }
  try {
    const out = await getJSON(dated("/api/figures/" + encodeURIComponent(name)));
    const plot = card.querySelector(".plot");
    await Plotly.react(plot, out.figure.data, fitLayout(out.figure.layout, plot.clientWidth),
                       PLOT_CONFIG);
    card.querySelector(".na").hidden = true;
    card.dataset.state = "ready";
  } catch (err) {
    failed(err);
    unavailable(card, err.message);
  }
}

async function drawRegime(status) {
  const node = el("regime");
  node.textContent = "";
  if (!status || !status.available) return;
  try {
    const out = await getJSON(dated("/api/stress"));
    const latest = out.latest || {};
    const summary = out.summary || {};   // the headline's fields (the last signature, age)
    const regime = latest.regime == null ? "n/a" : String(latest.regime);
    node.append("Regime ");
    node.append(text("b", regime, "regime-" + regime));
    const parts = [];
    if (latest.date) parts.push("as of " + latest.date);
    if (typeof latest.stress === "number") parts.push("index " + latest.stress.toFixed(3));
    if (typeof latest.percentile === "number")
      // rounded down, as every headline (the regime's cut-offs are >= a whole number: 79.96
      // rounded to "80" beside "calm")
      parts.push("percentile " + Math.floor(latest.percentile));
    // the all-history rank, as the headline prints it: crisis is entered on it alone, so a
    // "percentile 97 · ELEVATED" needs it (all history 94)
    if (typeof latest.percentile_longrun === "number")
      parts.push("all history " + Math.floor(latest.percentile_longrun));
    if (latest.regime_held) parts.push(String(latest.regime_held));
    if (summary.fresh === false && typeof summary.age_days === "number")
      parts.push("STALE: " + summary.age_days + " days old");
    if (latest.signature && latest.signature !== "none") {
      const label = String(latest.signature);
      // the service's words after the label (the day it last read, the leg it waits for, why
      // it was never read), as the headline and the report say them: this line wrote its
      // own and dropped the why ("unavailable" alone of 1996-12-30)
      const said = String(summary.signature_text || label);
      // (the labels written with spaces, as the line always wrote them; a series id such as
      // usd_broad keeps its own)
      const spaced = (x) => x.replace(/\b(sell_america|dash_for_cash|flight_to_quality)\b/g,
        (m) => m.replace(/_/g, " "));
      parts.push("signature: " + spaced(label) +
        (said.startsWith(label) ? spaced(said.slice(label.length)) : ""));
    }
    // each sub-index within its own history, in the service's words (a Treasury rout the
    // composite averages away reads "calm" above it)
    if (summary.segments_text) parts.push("sub-indices: " + String(summary.segments_text));
    if (parts.length) node.append(" · " + parts.join(" · "));
  } catch (err) {
    failed(err);
    node.textContent = "regime not available: " + err.message;
  }
}

async function drawSummary(status) {
  const list = el("headline");
  const table = el("freshness");
  const card = el("summary-card");
  const of = asOf();    // the evening this summary is of (the address may move on meanwhile)
  list.textContent = "";
  table.textContent = "";
  if (!status || !status.available) {
    list.append(text("li", "not available: " + (status ? status.reason : "unknown"), "na"));
    card.dataset.state = "unavailable";
    showMarketOf("n/a", of);
    return;
  }
  try {
    const got = await getJSON(dated("/api/summary"));
    const out = got.summary;
    for (const line of out.lines) list.append(text("li", line));
    showMarketOf((got.detail && got.detail.market_as_of) || "n/a", of);
    const cols = ["group", "name", "last", "days_old", "stale"];
    const head = document.createElement("tr");
    for (const c of ["input", "series", "last report", "days old", "state"])
      head.append(text("th", c));
    table.append(head);
    for (const r of out.inputs) {
      const row = document.createElement("tr");
      row.className = r.stale ? "stale" : "fresh";
      for (const c of cols) row.append(text("td", c === "stale" ? (r.stale ? "stale" : "fresh")
                                                             : r[c]));
      table.append(row);
    }
    card.dataset.state = "ready";
  } catch (err) {
    failed(err);
    list.append(text("li", "not available: " + err.message, "na"));
    card.dataset.state = "unavailable";
    showMarketOf("n/a", of);
  }
}

// A past evening's header: its market's date, from its summary (the report's header's). A
// summary of another evening than the address's (the evening left, still loading when another
// was chosen) leaves the header alone: it read "as published by 2024-08-05 · market as of
// 2025-04-09" under the banner of 2025-04-09 until that evening's last card came.
function showMarketOf(day, of) {
  const shown = asOf();
  if (!shown || !metaLine || (of !== undefined && of !== shown)) return;
  marketOf = day;
  el("meta").textContent = "data: " + metaLine.source + " as published by " + shown +
    " · market as of " + marketOf + " · spillwatch " + metaLine.version;
}

async function loadPresets(status) {
  const select = el("preset");
  const card = el("scenario-card");
  if (!status || !status.available) {
    el("scenario-status").textContent = "not available: " +
      (status ? status.reason : "the scenario engine is unknown to the server");
    el("run").disabled = true;
    card.dataset.state = "unavailable";
    return;
  }
  if (select.options.length > 1) {
    // the presets are here: a card that said "not available" (the engine's view failed on
    // other data) takes runs again (Run stayed off until the page was reloaded)
    if (card.dataset.state === "unavailable") {
      el("run").disabled = false;
      el("scenario-status").textContent = "";
      el("scenario-status").className = "status";
      card.dataset.state = "idle";
    }
    return;
  }
  let out;
  try {
    out = await getJSON("/api/scenarios");
  } catch (err) {
    failed(err);
    // the presets did not load: say so and keep Run off (the card read "(custom sellers)"
    // with Run enabled and no word)
    el("scenario-status").textContent = "not available: " + err.message;
    el("run").disabled = true;
    card.dataset.state = "unavailable";
    return;
  }
  el("run").disabled = false;
  el("scenario-status").textContent = "";   // a failure of an earlier refresh is over
  for (const p of out.presets) {
    const opt = text("option", p.name);
    opt.value = p.name;
    opt.title = p.description;
    select.append(opt);
  }
  if (!select.value && out.presets.length) select.value = out.presets[0].name;
  card.dataset.state = "idle";
}

function parseBook(text) {
  const book = [];
  for (const part of text.split(",")) {
    const item = part.trim();
    if (!item) continue;
    const m = /^([A-Za-z0-9_.:-]+)\s*=\s*(-?[0-9.]+)$/.exec(item);
    if (!m) throw new Error("write the book as asset=weight, e.g. btc=0.5, ust10y=0.5");
    book.push({asset: m[1], weight: Number(m[2])});
  }
  return book.length ? book : null;
}

function money(v) { return "$" + Math.round(v).toLocaleString("en-US"); }

function showScenario(out) {
  const head = el("scenario-headline");
  head.textContent = "";
  const h = out.headline;
  const list = document.createElement("ul");
  list.className = "headline";
  list.append(text("li", out.label + " — " + out.paths + " paths, seed " + out.seed +
                   ", horizon " + h.horizon_bdays + " business days"));
  list.append(text("li", "10-year yield at the horizon: " +
                   (h.ust10y_bp_median >= 0 ? "+" : "") + h.ust10y_bp_median.toFixed(1) +
                   " bp (median)"));
  list.append(text("li", "Book VaR 99% over the " + h.horizon_bdays + " business days: " +
                   money(h.book_var99_usd) + " · ES 99%: " +
                   money(h.book_es99_usd) + " on a book of " + money(h.book_gross_usd) +
                   " (gross)"));
  if (h.book_note) list.append(text("li", "Book: " + h.book_note));
  if (h.book_caveat) list.append(text("li", "Book: " + h.book_caveat, "na"));
  // what the book's lines rest on (a forward's points, the bonds' coupons), as under the
  // CLI's VaR
  (Array.isArray(h.book_notes) ? h.book_notes : []).forEach(
    (n) => list.append(text("li", n)));
  if (h.sample_note) list.append(text("li", h.sample_note));
  // the market the paths start from, as the Headline card marks it: a VaR on a market of
  // months ago read as today's without a word
  const stale = Array.isArray(h.stale) ? h.stale : [];
  if (h.as_of || stale.length) {
    list.append(text("li", "Market of " + (h.as_of || "n/a") +
                     (stale.length ? " · STALE: " + stale.join(", ") : ""),
                     stale.length ? "na" : undefined));
  }
  for (const w of (Array.isArray(h.warnings) ? h.warnings : [])) {
    list.append(text("li", "WARNING: " + w, "na"));
  }
  const se = h.probabilities_se || {};
  const probs = Object.entries(h.probabilities || {})
    .map(([k, v]) => "P(" + k + ") " + (100 * v).toFixed(1) + "%" +
         (se[k] === undefined ? "" : " ± " + (100 * se[k]).toFixed(1)));
  if (probs.length) list.append(text("li", probs.join(" · ")));
  head.append(list);
  const table = el("scenario-table");
  table.textContent = "";
  const hdr = document.createElement("tr");
  hdr.append(text("th", "asset"));
  for (const c of out.table.columns) hdr.append(text("th", c));
  table.append(hdr);
  out.table.index.forEach((name, i) => {
    const row = document.createElement("tr");
    row.append(text("td", name));
    for (const v of out.table.data[i]) row.append(text("td", v));
    table.append(row);
  });
  // the signs the identification imposes, under the table as in the CLI and the report
  el("scenario-signs").textContent = h.assumed_signs || "";
}

// Take a run's numbers off the scenario card.
function clearScenario() {
  el("scenario-headline").textContent = "";
  el("scenario-table").textContent = "";
  el("scenario-signs").textContent = "";
  if (window.Plotly) Plotly.purge(el("scenario-plot"));
}

// A run that ends after the page moved to another evening is not drawn under that evening's
// banner (the latest market's VaR stood under "THE EVENING OF …", the status naming no evening):
// the card says so. True when the run is left.
function left(ranOn) {
  const now = asOf();
  if (now === ranOn) return false;
  const name = (d) => d ? "the evening of " + d : "the latest data";
  const status = el("scenario-status");
  status.textContent = "the run on " + name(ranOn) + " ended after the page moved to " +
    name(now) + ": not shown here; Run runs it on " + name(now);
  status.className = "status";
  el("scenario-card").dataset.state = "idle";
  return true;
}

async function runScenario(ev) {
  ev.preventDefault();
  const card = el("scenario-card");
  const status = el("scenario-status");
  const bar = el("scenario-progress");
  const tok = el("token").value.trim();
  if (tok) sessionStorage.setItem("spillwatch-token", tok);
  if (!tok) {
    status.textContent = "enter the token printed by `spillwatch serve` to run a scenario";
    status.className = "status error";
    return;
  }
  // the card shows the joint run only: no second run of the first seller alone
  const body = {paths: Number(el("paths").value), seed: Number(el("seed").value),
                alone: false};
  const ranOn = asOf();
  if (ranOn) body.as_of = ranOn;   // the paths start from the market of the evening shown
  const sellers = el("sellers").value.split(",").map((x) => x.trim()).filter(Boolean);
  try {
    if (sellers.length) body.sellers = sellers; else body.preset = el("preset").value;
    const book = parseBook(el("book").value);
    if (book) body.portfolio = book;
  } catch (err) {
    status.textContent = err.message;
    status.className = "status error";
    return;
  }
  el("run").disabled = true;
  card.dataset.state = "running";
  status.className = "status";
  status.textContent = "running " + (body.preset || sellers.join(", ")) + " with " +
    body.paths + " paths…";
  bar.hidden = false;
  bar.value = 0;
  try {
    const resp = await fetch("/api/scenarios?stream=true", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Authorization": "Bearer " + tok},
      body: JSON.stringify(body),
    });
    if (!resp.ok) {
      let detail = resp.statusText;
      try { detail = (await resp.json()).detail; } catch (e) { /* keep the status text */ }
      throw new Error(detailText(detail));
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let result = null;
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, {stream: true});
      let cut;
      while ((cut = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 1);
        if (!line.trim()) continue;
        const ev = JSON.parse(line);
        if (ev.event === "progress") { bar.max = ev.total; bar.value = ev.done; }
        else if (ev.event === "error") throw new Error(ev.detail);
        else if (ev.event === "result") result = ev.result;
      }
    }
    if (!result) throw new Error("the server ended the stream without a result");
    if (left(ranOn)) return;
    await Plotly.react(el("scenario-plot"), result.figure.data,
                       fitLayout(result.figure.layout, el("scenario-plot").clientWidth),
                       PLOT_CONFIG);
    showScenario(result);
    status.textContent = result.preset + ": " + result.paths + " paths, seed " + result.seed +
      (body.as_of ? ", on the data of the evening of " + body.as_of : "");
    card.dataset.state = "ready";
  } catch (err) {
    if (left(ranOn)) return;
    status.textContent = "scenario failed: " + err.message;
    status.className = "status error";
    card.dataset.state = "error";
    clearScenario();   // the last run's numbers must not stand under "scenario failed"
  } finally {
    el("run").disabled = false;
    bar.hidden = true;
  }
}

async function drawAlerts(status) {
  const box = el("alerts");
  const card = el("alerts-card");
  if (!status || !status.available) {
    box.textContent = "";
    box.append(text("p", "not available: " + (status ? status.reason : "unknown"), "na"));
    card.dataset.state = "unavailable";
    return;
  }
  try {
    const out = await getJSON("/api/alerts");
    box.textContent = "";   // replaced only once the new states are here (no flicker)
    const when = out.evaluated_at ? "last evaluated " + out.evaluated_at.slice(0, 16) + " UTC"
                                  : "not evaluated yet (run `spillwatch monitor`)";
    box.append(text("p", out.rules + " rules · " + when, "na"));
    // the rule file no longer parses: the monitor runs its last good rules, these are its states
    if (out.rules_error) box.append(text("p", "rule file: " + out.rules_error +
      " (the monitor runs its last good rules)", "na"));
    if (asOf()) {
      // the states are the monitor's of now: under a past evening's cards they are not that
      // evening's (the rules are replayed on it by `spillwatch alerts test --as-of`)
      box.append(text("p", "These are the monitor's states now, not of " + asOf() +
        ": `spillwatch alerts test --as-of " + asOf() + "` evaluates the rules on that evening.",
        "na"));
    }
    if (!out.alerts.length) {
      // with no evaluation yet, "no alert is pending or firing" read as an all-clear while
      // `alerts test` had stale_data firing on forty series
      box.append(text("p", out.evaluated_at ? "no alert is pending or firing"
        : "no alert state yet: nothing has evaluated the rules on this store (`spillwatch "
          + "alerts test` shows what they would say now)", "na"));
    } else {
      const cols = ["severity", "rule", "state", "since", "summary"];
      const table = document.createElement("table");
      table.className = "alerts";
      const head = document.createElement("tr");
      for (const c of cols) head.append(text("th", c));
      table.append(head);
      for (const a of out.alerts) {
        const row = document.createElement("tr");
        for (const c of cols) {
          let v = a[c] !== undefined ? a[c] : (c === "since" ? a.started_at || a.ts : "");
          // a silenced alert is not delivered: it read as plainly "firing"
          if (c === "state" && a.silenced) v = v + " (silenced)";
          // held back by another rule's alert on the same move (inhibited_by)
          else if (c === "state" && a.inhibited_by) v = v + " (inhibited by " + a.inhibited_by + ")";
          // one kept firing by keep_firing_for read as live: its note says since when its
          // conditions have not held
          if (c === "summary" && a.state === "firing" && a.note) v = v + " — " + a.note;
          row.append(text("td", v, c === "severity" ? "sev-" + a.severity : ""));
        }
        table.append(row);
      }
      box.append(table);
    }
    card.dataset.state = "ready";
  } catch (err) {
    box.textContent = "";
    box.append(text("p", "not available: " + err.message, "na"));
    card.dataset.state = "unavailable";
  }
}

function leadCell(x) {
  if (!x || !x.covered) return "n/a";
  return typeof x.lead_bdays === "number" ? (x.lead_bdays >= 0 ? "+" : "") + x.lead_bdays
                                          : "missed";
}

async function drawBacktest() {
  const card = el("backtest-card");
  const lines = el("backtest-lines");
  const table = el("backtest-leads");
  try {
    const out = await getJSON(dated("/api/backtest"));
    const d = out.detail;
    lines.textContent = "";
    for (const line of d.lines) lines.append(text("li", line));
    await Plotly.react(el("backtest-plot"), d.timeline.data,
                       fitLayout(d.timeline.layout, el("backtest-plot").clientWidth), PLOT_CONFIG);
    table.textContent = "";
    const comps = d.episodes.length ? Object.keys(d.episodes[0].comparators) : [];
    const head = document.createElement("tr");
    for (const c of ["episode", "kind", "peak", "spillwatch"].concat(
      comps.map((k) => d.signals[k].label))) head.append(text("th", c));
    table.append(head);
    for (const e of d.episodes) {
      const row = document.createElement("tr");
      for (const v of [e.name, e.kind, e.peak, leadCell(e.spillwatch)].concat(
        comps.map((k) => leadCell(e.comparators[k])))) row.append(text("td", v));
      table.append(row);
    }
    el("backtest-method").textContent = d.method;
    card.dataset.state = "ready";
  } catch (err) {
    failed(err);
    lines.textContent = "";
    lines.append(text("li", "not available: " + err.message, "na"));
    // nor the timeline and the leads of the last scorecard drawn beside that line
    if (window.Plotly) Plotly.purge(el("backtest-plot"));
    table.textContent = "";
    el("backtest-method").textContent = "";
    card.dataset.state = "unavailable";
  }
}

let busy = false;
let again = false;

function schedule(ms) {
  if (timer !== null && ms === refreshMs) return;
  refreshMs = ms;
  if (timer !== null) window.clearInterval(timer);
  timer = window.setInterval(() => refresh(false), refreshMs);
}

async function refresh(force) {
  if (busy) {          // a new evening chosen while the page draws: drawn after it
    if (force) again = true;
    return;
  }
  busy = true;
  try {
    await update(force);
  } finally {
    busy = false;
    if (again) {
      again = false;
      refresh(true);
    }
  }
}

// The date field shows the evening of the address when the address changes (a chosen evening,
// "latest", a link, back or forward), then and only then: written by the page's draw, each poll
// wrote the evening shown over a date being typed (its submit then showed the latest data), and
// so did a draw that waited behind the last evening's ("latest", then a date typed while that
// evening's cards still loaded: the draw of the latest data emptied the field)
function fieldFollowsAddress() {
  const day = asOf();
  el("as-of").value = day && /^\d{4}-\d\d-\d\d$/.test(day) ? day : "";
}

// Show the evening of `day` (null: the latest data); the address keeps it, to share or reload.
function showEvening(day) {
  const url = new URL(window.location.href);
  if (day) url.searchParams.set("as_of", day); else url.searchParams.delete("as_of");
  // the evening shown chosen again ("show" twice, "latest" on the latest data) is no new step
  // of the history: each was one, and back then stayed on the same evening
  const to = url.pathname + url.search;
  if (to === window.location.pathname + window.location.search) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  if (asOf() !== shownDay) leaveEvening();
  fieldFollowsAddress();
  refresh(true);
}

async function update(force) {
  let meta;
  try {
    meta = await getJSON("/api/meta");
  } catch (err) {
    el("refresh").textContent = "server not reachable: " + err.message;
    schedule(refreshMs);
    return;
  }
  const views = meta.views || {};
  // real data whose last date is over a week old say so in the header too
  const age = meta.as_of && !meta.simulated
    ? Math.floor((Date.now() - Date.parse(meta.as_of + "T00:00:00Z")) / 86400000) : 0;
  // the last date most series reach (a card's own reading may be later or earlier: each
  // says its own "as of"); "as of" here read as the date of every card
  const day = asOf();
  // a past evening's header is its report's ("as published by D · market as of …", the
  // summary fills in the market's date): the latest data's date and age stood above it
  metaLine = {source: meta.source, version: meta.version};
  el("meta").textContent = "data: " + meta.source + " · most series to " +
    (meta.as_of || "n/a") + (age > 7 ? " (" + age + " days ago: stale)" : "") +
    " · spillwatch " + meta.version;
  showMarketOf(day === shownDay && marketOf ? marketOf : "…");
  el("replay").hidden = !day;
  el("replay").textContent = day ? "THE EVENING OF " + day + ": every card but the alerts " +
    "shows the data as published by then (`spillwatch run --as-of " + day +
    "`); “latest” returns to today's data." : "";
  document.body.dataset.asOf = day || "";
  // the evenings the data allow: the picker offers no date every card would refuse
  el("as-of").min = meta.first_evening || "";
  el("as-of").max = meta.last_evening || "";
  el("simulated").hidden = !meta.simulated;
  schedule(Math.max(1000, 1000 * (meta.refresh_seconds || 30)));
  el("refresh").textContent = "checked " + new Date().toISOString().slice(11, 19) +
    " UTC · refreshes every " + refreshMs / 1000 + " s";
  if (!force && !redraw && meta.data_version === dataVersion && day === shownDay) {
    // the market data did not change, but the monitor evaluates the rules every cycle
    await drawAlerts(views.alerts);
    return;
  }
  if (day !== shownDay) {
    // a scenario run on another evening must not stand under this one's banner
    clearScenario();
    el("scenario-status").textContent = "";
    for (const card of document.querySelectorAll("[data-figure]")) loading(card, day);
    const lines = el("backtest-lines");
    lines.textContent = "";
    lines.append(text("li", "loading…", "na"));
    if (window.Plotly) Plotly.purge(el("backtest-plot"));
    el("backtest-leads").textContent = "";
    el("backtest-method").textContent = "";
    el("backtest-card").dataset.state = "loading";
  }
  dataVersion = meta.data_version;
  shownDay = day;
  redraw = false;
  document.body.dataset.ready = "0";
  const jobs = [];
  for (const card of document.querySelectorAll("[data-figure]")) {
    jobs.push(drawFigure(card, views["figure:" + card.dataset.figure]));
  }
  jobs.push(drawSummary(views.summary));
  jobs.push(drawRegime(views.stress));
  jobs.push(loadPresets(views.scenarios));
  jobs.push(drawAlerts(views.alerts));
  jobs.push(drawBacktest());
  await Promise.allSettled(jobs);
  document.body.dataset.ready = "1";
  document.body.dataset.version = dataVersion;
}

document.addEventListener("DOMContentLoaded", () => {
  el("token").value = token();
  el("scenario-form").addEventListener("submit", runScenario);
  el("as-of-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    showEvening(el("as-of").value || null);
  });
  el("latest").addEventListener("click", () => showEvening(null));
  window.addEventListener("popstate", () => {
    if (asOf() !== shownDay) leaveEvening();
    fieldFollowsAddress();
    refresh(true);
  });
  fieldFollowsAddress();
  refresh(true);
});
