// The live answer: as the label is typed, ask POST /api/check and draw the answer the
// server would draw (templates/macros.html). Without JavaScript the form still posts.
// No inline script anywhere, so a Content-Security-Policy without 'unsafe-inline' holds.
"use strict";

(() => {
  const WORDS = {
    avoid: "Avoid",
    caution: "Caution",
    unknown: "Unknown",
    ok: "Okay",
    recommended: "Recommended",
  };
  const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DELAY_MS = 350;

  // --- small DOM helpers: text only ever goes in as text nodes -------------------------

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === "") continue;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
    return node;
  }

  function icon(level) {
    const icons = document.getElementById("verdict-icons");
    const found = icons && icons.content.querySelector(`[data-level="${level}"] svg`);
    return found ? found.cloneNode(true) : null;
  }

  function badge(level) {
    return el("span", `badge ${level}`, icon(level), WORDS[level] || level);
  }

  // --- dates: day 0 is the procedure day ----------------------------------------------

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function isoToday() {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function dateAfter(iso, day) {
    const [year, month, date] = iso.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1, date + day));
  }

  function shortDate(iso, day) {
    const when = dateAfter(iso, day);
    return `${WEEKDAYS[when.getUTCDay()]} ${when.getUTCDate()} ${MONTHS[when.getUTCMonth()]}`;
  }

  function longDate(iso) {
    return `${shortDate(iso, 0)} ${dateAfter(iso, 0).getUTCFullYear()}`;
  }

  function when(start, day) {
    if (day === null || day === undefined) return "never after this procedure";
    return start ? `${shortDate(start, day)} (day ${day})` : `day ${day}`;
  }

  // --- the answer ---------------------------------------------------------------------

  function okFrom(start, day) {
    if (day === null || day === undefined) {
      return el("p", "ok-from", "No end date after this procedure, by the most cautious source.");
    }
    return el("p", "ok-from", "Okay again from ", el("strong", "", when(start, day)), ".");
  }

  function daysText(reason) {
    if (reason.until_day === null) return `from day ${reason.from_day}, no end`;
    if (reason.from_day === reason.until_day) return `day ${reason.from_day}`;
    return `days ${reason.from_day}–${reason.until_day}`;
  }

  function sourceLinks(reason) {
    const parts = [];
    (reason.sources || [reason.source]).forEach((source, index) => {
      if (index) parts.push("; ");
      if (source.url) {
        const link = el("a", "source-link", source.title);
        link.href = source.url;
        link.rel = "noopener";
        parts.push(link);
      } else {
        parts.push(source.title);
      }
      if (source.publisher) parts.push(`, ${source.publisher}`);
    });
    return parts;
  }

  function reasonItem(reason) {
    const hours = reason.hours ? ` (${reason.hours} hours)` : "";
    return el(
      "li",
      `reason ${reason.verdict}`,
      el(
        "p",
        "",
        el("span", "rule-code", reason.rule),
        " ",
        el("strong", "", WORDS[reason.verdict]),
        ` ${reason.subject.label}, ${daysText(reason)}${hours}.`,
      ),
      el("p", "rationale", reason.rationale),
      el(
        "p",
        "source",
        "Source: ",
        sourceLinks(reason),
        " — ",
        el("span", "grade", `evidence grade ${reason.grade}`),
      ),
    );
  }

  function otherReasonItem(reason) {
    return el(
      "li",
      `reason other ${reason.verdict}`,
      el("span", "rule-code", reason.rule),
      ` ${WORDS[reason.verdict].toLowerCase()} ${daysText(reason)} — `,
      sourceLinks(reason),
      " ",
      el("span", "grade", `(grade ${reason.grade})`),
    );
  }

  // The deciding reason in plain words; rules, sources and grades behind "Why?".
  function why(count, differ, ...children) {
    const summary = el("summary", "", `Why? Sources (${count}${differ ? ", they differ" : ""})`);
    return el("details", "why", summary, ...children);
  }

  function reasonsBlock(item) {
    const restricting = item.reasons.filter((r) => r.verdict === "avoid" || r.verdict === "caution");
    if ((item.verdict === "avoid" || item.verdict === "caution") && restricting.length) {
      const deciding = restricting.filter((r) => r.ok_from_day === item.ok_from_day);
      const others = restricting.filter((r) => r.ok_from_day !== item.ok_from_day);
      const nodes = deciding.length ? [el("p", "plain", deciding[0].rationale)] : [];
      const inside = [el("ul", "reasons", deciding.map(reasonItem))];
      if (others.length) {
        const gives = others.length === 1 ? "source gives" : "sources give";
        inside.push(
          el(
            "p",
            "differ",
            icon("caution"),
            `Sources differ: ${others.length} other ${gives} a shorter time. We follow the most cautious.`,
          ),
          el("ul", "reasons others", others.map(otherReasonItem)),
        );
      }
      nodes.push(why(restricting.length, others.length > 0, inside));
      return nodes;
    }
    const active = item.reasons.filter((r) => r.in_force);
    return active.length ? [why(active.length, false, el("ul", "reasons", active.map(reasonItem)))] : [];
  }

  function matchNote(item) {
    const label = item.ingredient.label;
    if (item.match === "fuzzy") {
      const score = typeof item.score === "number" ? ` (match ${Math.round(item.score)}/100)` : "";
      return el(
        "p",
        "read-as",
        "Read as ",
        el("strong", "", label),
        ` — a close spelling${score}; check the label.`,
      );
    }
    if (item.match === "pattern") {
      return el("p", "read-as", "Recognised by its name as ", el("strong", "", label), ".");
    }
    if (label.toLowerCase() !== item.text.toLowerCase()) {
      return el("p", "read-as", `Read as ${label}.`);
    }
    return null;
  }

  // How a dual-use ingredient was read (templates/macros.html says it the same way).
  function roleWords(use) {
    const how = {
      role: `Read as a ${use.role}`,
      uncertain: `May be a ${use.role} or an active`,
      active: `Read as an active, not a ${use.role}`,
    }[use.reading];
    return `${how}: ${use.reason}.`;
  }

  function ingredientItem(item, start) {
    const parts = [el("p", "ingredient-head", badge(item.verdict), " ", el("span", "name", item.text))];
    if (item.conditional) parts.push(el("p", "note", "Listed under “may contain”."));
    if (!item.ingredient) {
      parts.push(
        el("p", "unknown-text", "We don't recognise this ingredient, so we can't say it is okay."),
      );
      const close = item.did_you_mean || [];
      if (close.length) {
        const names = [];
        close.forEach((candidate, index) => {
          if (index) names.push(" or ");
          names.push(el("strong", "", candidate.label));
        });
        parts.push(
          el(
            "p",
            "did-you-mean",
            "Did you mean ",
            names,
            "? Check the label, correct it above and check again.",
          ),
        );
      }
    } else {
      parts.push(matchNote(item));
      if (item.classes.length) parts.push(el("p", "classes", item.classes.slice(0, 3).join(" · ")));
      if (item.dual_use) parts.push(el("p", "role", roleWords(item.dual_use)));
      if (item.verdict === "avoid" || item.verdict === "caution") {
        parts.push(okFrom(start, item.ok_from_day));
      }
      parts.push(...reasonsBlock(item));
    }
    return el("li", `ingredient ${item.verdict}`, parts);
  }

  // The headline answers the question asked (templates/index.html says it the same way).
  function inDays(answer) {
    const wait = answer.ok_from_day - answer.day;
    return wait === 1 ? "tomorrow" : `in ${wait} days`;
  }

  function okayDay(answer, start) {
    const day = answer.ok_from_day;
    return start ? `${shortDate(start, day)} (day ${day}, ${inDays(answer)})` : `day ${day} (${inDays(answer)})`;
  }

  // A name read only by its pattern ("a plant extract") is not known either.
  function notKnown(answer) {
    const unread = answer.ingredients.filter((item) => item.verdict === "unknown").map((item) => item.text);
    const count = answer.ingredients.length;
    let words;
    if (unread.length === count) {
      words = count === 1 ? "we don't know this ingredient" : `we don't know any of these ${count} ingredients`;
    } else {
      words = `we don't know ${unread.length} of ${count} ingredients`;
    }
    const more = unread.length > 4 ? ` and ${unread.length - 4} more` : "";
    return `${words} (${unread.slice(0, 4).join(", ")}${more})`;
  }

  function headline(answer, start) {
    const ok = answer.ok_from_day;
    const unsure = answer.ingredients.some((item) => item.verdict === "unknown");
    switch (answer.verdict) {
      case "avoid":
        if (ok === null) return "No — not okay again after this procedure";
        return unsure
          ? `Not yet — not before ${okayDay(answer, start)}, and ${notKnown(answer)}`
          : `Not yet — okay again from ${okayDay(answer, start)}`;
      case "caution": {
        const care =
          ok === null ? "Use with care — no end date after this procedure" : `Use with care until ${when(start, ok - 1)}`;
        return unsure ? `${care}, and ${notKnown(answer)}` : care;
      }
      case "unknown":
        if (unsure) return `Can't tell yet: ${notKnown(answer)}`;
        if (answer.cut_short) {
          return `Can't tell yet: the list is cut short ("${answer.cut_short}"), so we can't see every ingredient`;
        }
        return "Can't tell yet: we can't say it is okay";
      case "recommended":
        return "Yes — okay today, and the sources recommend it";
      default:
        return "Yes — okay today";
    }
  }

  // What we guessed rather than read: close spellings, and names known only by their pattern.
  function pleaseCheck(answer) {
    const guesses = answer.ingredients.filter(
      (item) => item.ingredient && (item.match === "fuzzy" || item.match === "pattern"),
    );
    if (!guesses.length) return null;
    const items = guesses.map((item) => {
      const label = item.ingredient.label;
      if (item.match === "fuzzy") {
        return el("li", "", `“${item.text}”: read as ${label}, a close spelling — compare with the label.`);
      }
      const known = item.verdict === "unknown" ? ", so we don't count it as known" : "";
      return el("li", "", `“${item.text}”: by its name alone we guessed “${label}”${known}.`);
    });
    return el(
      "div",
      "please-check",
      el("p", "", el("strong", "", "Please check"), " what we guessed:"),
      el("ul", "", items),
    );
  }

  function renderAnswer(answer, procedureLabel, share) {
    const start = answer.procedure_date || null;
    const verdict = answer.verdict;
    let sub = "";
    if (verdict === "avoid" && answer.ok_from_day !== null) {
      sub += `Last day to avoid it: ${when(start, answer.ok_from_day - 1)}. `;
    }
    if (verdict === "caution" && answer.ok_from_day !== null) {
      sub += `Okay again without extra care from ${okayDay(answer, start)}. `;
    }
    if (verdict === "unknown") sub += "We can't call it okay while we don't know every ingredient. ";
    sub += `Today is day ${answer.day} after your ${procedureLabel.toLowerCase()}`;
    sub += start ? ` on ${longDate(start)}.` : ".";
    const banner = el(
      "div",
      `banner ${verdict}`,
      icon(verdict),
      el("div", "", el("h2", "", headline(answer, start)), el("p", "", sub), pleaseCheck(answer)),
    );
    banner.id = "verdict";
    const change = el("a", "", "Change the product or the day");
    change.href = "#check-form";
    const section = el("section", "card result", banner, el("p", "change", change));

    const assumed = answer.assumed_product_types || [];
    const types = (answer.product_type ? [answer.product_type] : []).concat(assumed);
    if (types.length) {
      const items = types.map((type) => {
        const head = el("p", "ingredient-head", badge(type.verdict), " ", el("span", "name", type.label));
        if (assumed.includes(type)) {
          head.append(" ", el("span", "hint", "(assumed: tick “My clinic gave me this product” if it did)"));
        }
        const typeParts = [head];
        if (type.verdict === "avoid" || type.verdict === "caution") {
          typeParts.push(okFrom(start, type.ok_from_day));
        }
        typeParts.push(...reasonsBlock(type));
        return el("li", `ingredient ${type.verdict}`, typeParts);
      });
      section.append(el("h3", "", "Product type"), el("ul", "ingredients", items));
    }

    const deciding = ["avoid", "caution", "unknown"].flatMap((level) =>
      answer.ingredients.filter((item) => item.verdict === level),
    );
    const rest = answer.ingredients.filter((item) => !deciding.includes(item));
    if (deciding.length) {
      section.append(
        el("h3", "", "What decides it"),
        el("ul", "ingredients deciding", deciding.map((item) => ingredientItem(item, start))),
      );
    }
    const good = answer.ingredients.filter((item) => item.verdict === "recommended").map((item) => item.text);
    if (good.length) {
      const which = good.length === 1 ? "this" : "these";
      section.append(
        el("p", "good", badge("recommended"), ` The sources recommend ${which} now: ${good.join(", ")}.`),
      );
    }
    if (rest.length) {
      const count = `${deciding.length ? "The other" : "All"} ${rest.length} ingredient${rest.length === 1 ? "" : "s"}: okay`;
      section.append(
        el(
          "details",
          "rest",
          el("summary", "", count),
          el("ul", "ingredients", rest.map((item) => ingredientItem(item, start))),
        ),
      );
    }
    const aside = answer.set_aside || [];
    if (aside.length) {
      section.append(
        el(
          "details",
          "set-aside",
          el("summary", "", `Read as text about the product, not as ingredients (${aside.length})`),
          el("ul", "", aside.map((text) => el("li", "", text))),
        ),
      );
    }
    section.append(
      el(
        "details",
        "notes",
        el("summary", "", "Good to know"),
        el("ul", "", answer.notes.map((note) => el("li", "", note))),
      ),
    );
    const link = el("a", "", "Link to this answer");
    link.href = share;
    section.append(el("p", "share", link));
    return section;
  }

  // What the sources say about the conditions the patient ticked (templates/index.html).
  function renderWarnings(warnings) {
    const items = warnings.map((warning) => {
      const head = el(
        "p",
        "",
        warning.verdict ? badge(warning.verdict) : null,
        " ",
        el("strong", "", warning.condition.label),
      );
      const parts = [head, el("p", "rationale", warning.rationale)];
      if (warning.sources.length) {
        parts.push(
          el(
            "p",
            "source",
            "Source: ",
            sourceLinks(warning),
            " — ",
            el("span", "grade", `evidence grade ${warning.grade}`),
          ),
        );
      }
      return el("li", `reason ${warning.verdict || "unknown"}`, parts);
    });
    const section = el(
      "section",
      "card warnings",
      el("h2", "", "What you told us"),
      el("ul", "reasons", items),
      el("p", "hint", "Tell your clinician about these before the procedure."),
    );
    section.id = "warnings";
    return section;
  }

  function showWarnings(answerBox, warnings) {
    const shown = document.getElementById("warnings");
    if (!warnings || !warnings.length) {
      if (shown) shown.remove();
      return;
    }
    const section = renderWarnings(warnings);
    if (shown) shown.replaceWith(section);
    else answerBox.after(section);
  }

  // --- the form -----------------------------------------------------------------------

  function setUpLiveAnswer(form) {
    const answerBox = document.getElementById("answer");
    const status = document.getElementById("live-status");
    const field = (name) => form.elements.namedItem(name);
    let timer = null;
    let latest = 0;

    function values() {
      const data = new FormData(form);
      const body = {
        procedure: String(data.get("procedure") || ""),
        ingredients: String(data.get("ingredients") || ""),
      };
      const params = new URLSearchParams();
      const unasked = data.get("when") === "day" ? "procedure_date" : "day"; // the other answer
      for (const [key, value] of data.entries()) {
        if (typeof value === "string" && value && key !== unasked) params.append(key, value);
      }
      const type = String(data.get("product_type") || "");
      if (type) body.product_type = type;
      body.from_clinic = data.get("from_clinic") === "yes";
      body.conditions = data.getAll("conditions").map(String);
      if (data.get("when") === "day") {
        const day = String(data.get("day") || "").trim();
        if (!/^\d+$/.test(day)) {
          return { problem: "The day number must be a whole number such as 3 (0 is the procedure day)." };
        }
        body.day = Number(day);
      } else {
        const start = String(data.get("procedure_date") || "");
        if (!start) return { problem: "Give the date of your procedure, or which day after it today is." };
        if (start > isoToday()) {
          return {
            problem: `The procedure date, ${shortDate(start, 0)}, is after today. Give the day of your procedure: today or earlier.`,
          };
        }
        body.procedure_date = start;
        body.today = isoToday();
      }
      return { body, share: `${form.getAttribute("action").split("#")[0]}?${params}#answer` };
    }

    function showProblem(message, aboutWhen) {
      const box = el("section", "card error", el("h2", "", "We could not check that"), el("p", "", message));
      if (aboutWhen) {
        const link = el("a", "", "Change your answer to “When was it?”");
        link.href = "#when";
        box.append(el("p", "", link));
      }
      answerBox.replaceChildren(box);
      status.textContent = message;
      showWhenProblem(aboutWhen ? message : "");
      showLiveVerdict(null, message);
    }

    // A compact verdict right under the text box, where the eyes are while typing on a phone.
    function showLiveVerdict(answer, message) {
      const slot = document.getElementById("live-verdict");
      if (!slot) return;
      const more = el("a", "", answer ? "Why, and what else applies" : "What to change");
      more.href = "#answer";
      if (answer) {
        slot.className = `live-verdict ${answer.verdict}`;
        slot.replaceChildren(
          badge(answer.verdict),
          " ",
          el("span", "", headline(answer, answer.procedure_date || null)),
          " ",
          more,
        );
      } else {
        slot.className = "live-verdict error";
        slot.replaceChildren(el("span", "", message), " ", more);
      }
      slot.hidden = false;
    }

    // The problem with "When was it?" is said next to it too (templates/macros.html).
    function showWhenProblem(message) {
      const slot = document.getElementById("when-error");
      if (!slot) return;
      slot.textContent = message;
      slot.hidden = !message;
      slot.closest("fieldset").classList.toggle("has-error", Boolean(message));
      const chosen = field("when").value === "day" ? "day" : "procedure_date";
      for (const name of ["day", "procedure_date"]) {
        const input = field(name);
        if (message) input.setAttribute("aria-describedby", "when-error");
        else input.removeAttribute("aria-describedby");
        if (message && name === chosen) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }

    // An error as the page words it: "The procedure date …", never "procedure_date …".
    function plainError(answer) {
      const words = {
        procedure_date: "The procedure date",
        day: "The day number",
        today: "The date for today",
        ingredients: "The ingredient list",
        product_type: "The product type",
        procedure: "The procedure",
        conditions: "What applies to you",
      };
      let message = String(answer.error || "Something went wrong.");
      const name = answer.field;
      if (name && words[name] && message.startsWith(`${name} `)) {
        message = words[name] + message.slice(name.length);
      }
      return message.replaceAll("procedure_date", "procedure date").replaceAll("product_type", "product type");
    }

    function markStale(answer) {
      for (const section of document.querySelectorAll("#today, #calendar")) {
        const stale =
          section.dataset.procedure !== answer.procedure || section.dataset.day !== String(answer.day);
        section.classList.toggle("is-stale", stale);
        const note = section.querySelector(".stale");
        if (note) note.hidden = !stale;
      }
    }

    async function update() {
      const found = values();
      if (!found.body || !found.body.ingredients.trim()) {
        if (found.problem && field("ingredients").value.trim()) showProblem(found.problem, true);
        return;
      }
      const ticket = ++latest;
      let response;
      try {
        response = await fetch("/api/check", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(found.body),
        });
      } catch {
        return; // offline: the Check button still posts the form
      }
      const answer = await response.json().catch(() => null);
      if (ticket !== latest || !answer) return; // a newer keystroke has its own request
      if (!response.ok) {
        showProblem(plainError(answer), answer.field === "day" || answer.field === "procedure_date");
        return;
      }
      showWhenProblem("");
      const select = field("procedure");
      const label = select.options[select.selectedIndex].text;
      answerBox.replaceChildren(renderAnswer(answer, label, found.share));
      showWarnings(answerBox, answer.warnings);
      status.textContent = headline(answer, answer.procedure_date || null);
      showLiveVerdict(answer);
      history.replaceState(null, "", found.share);
      markStale(answer);
    }

    form.addEventListener("input", (event) => {
      if (event.target && event.target.type === "file") return;
      clearTimeout(timer);
      timer = setTimeout(update, DELAY_MS);
    });
  }

  // One answer to "When was it?": typing in the date or the day number selects it, and
  // only the selected one is sent, so a forgotten radio button never answers for day 0.
  function setUpWhen(form) {
    const pairs = [
      ["procedure_date", "when-date"],
      ["day", "when-day"],
    ];
    for (const [name, radio] of pairs) {
      const input = form.elements.namedItem(name);
      const choice = document.getElementById(radio);
      if (!input || !choice) continue;
      const select = () => {
        choice.checked = true;
      };
      input.addEventListener("input", select);
      input.addEventListener("change", select);
    }
    // The date in the words the answers use, whatever format the browser shows it in.
    const picked = form.elements.namedItem("procedure_date");
    const words = document.getElementById("procedure_date-words");
    if (picked && words) {
      picked.addEventListener("input", () => {
        words.textContent = /^\d{4}-\d{2}-\d{2}$/.test(picked.value) ? longDate(picked.value) : "";
      });
    }
    form.addEventListener("submit", () => {
      const day = form.elements.namedItem("when").value === "day";
      const other = form.elements.namedItem(day ? "procedure_date" : "day");
      if (other) other.disabled = true;
    });
    // Back to this page from the answer: the other field is the person's to use again.
    window.addEventListener("pageshow", () => {
      for (const [name] of pairs) {
        const input = form.elements.namedItem(name);
        if (input) input.disabled = false;
      }
    });
  }

  function setUpPrint() {
    const button = document.getElementById("print-plan");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }

  const form = document.getElementById("check-form");
  if (form) setUpLiveAnswer(form);
  for (const asking of document.querySelectorAll("form")) {
    if (asking.querySelector("#when-day")) setUpWhen(asking);
  }
  setUpPrint();
})();
