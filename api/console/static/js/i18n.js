// Chinese by default; English from the one dictionary file (dict.js), keyed by the Chinese text.
import { EN } from "./dict.js";

const KEY = "console.lang";

export function lang() {
  return localStorage.getItem(KEY) === "en" ? "en" : "zh";
}

export function setLang(value) {
  localStorage.setItem(KEY, value === "en" ? "en" : "zh");
  document.documentElement.lang = value === "en" ? "en" : "zh-CN";
}

/** The text in the current language; `{name}` placeholders filled from `params`. */
export function t(zh, params = {}) {
  let text = zh;
  if (lang() === "en") {
    if (EN[zh] === undefined) console.warn("no English for", zh);
    else text = EN[zh];
  }
  return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined ? "" : String(params[k])));
}

/** A message from the API, written "中文 / English": the half of the current language. */
export function bilingual(text) {
  if (typeof text !== "string") return text;
  const i = text.indexOf(" / ");
  if (i < 0) return text;
  return lang() === "en" ? text.slice(i + 3) : text.slice(0, i);
}

/** A Chinese label from the API in the current language: the dictionary's English, else `code`. */
export function labelIn(zh, code) {
  if (lang() !== "en") return zh;
  return EN[zh] ?? code;
}
