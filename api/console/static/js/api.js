// The JSON API with the caller's token (kept in sessionStorage). A 401 sends the user
// back to sign-in; every other refusal becomes an ApiError carrying the API's own words.
const TOKEN = "console.token";

export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : JSON.stringify(body?.detail ?? body));
    this.status = status;
    this.body = body;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN) || "";
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN, value);
  else sessionStorage.removeItem(TOKEN);
}

function headers(extra = {}) {
  const h = { ...extra };
  if (token()) h.Authorization = `Bearer ${token()}`;
  return h;
}

function signedOut(reason) {
  setToken("");
  sessionStorage.removeItem("console.session");
  location.hash = `#/signin?reason=${reason}`;
}

async function send(path, { method = "GET", json, form } = {}) {
  const init = { method, headers: headers() };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    signedOut(token() ? "invalid" : "missing");
    throw new ApiError(401, { detail: "需要重新登录 / please sign in again" });
  }
  return res;
}

export async function api(path, options = {}) {
  const res = await send(path, options);
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: text };
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** Download a file the API serves, with the token, under the server's file name. */
export async function download(path) {
  const res = await send(path);
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  const blob = await res.blob();
  const disposition = res.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="?([^";]+)"?/) || [])[1] || path.split("/").pop();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
