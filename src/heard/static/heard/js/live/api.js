// JSON calls to the live endpoints. Every answer comes back as {status, data}; nothing throws.
// status 0: the network failed. A page that is not JSON (the sign-in page after a session
// expired) reads as 401, so that callers keep what they were sending.

let fallbackToken = "";

export function setCsrfFallback(token) {
  fallbackToken = token || "";
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : fallbackToken;
}

export async function call(method, url, body, { signal } = {}) {
  const headers = { Accept: "application/json", "X-Requested-With": "fetch" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken();
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      signal,
    });
  } catch (error) {
    if (error && error.name === "AbortError") return { status: -1, data: null };
    return { status: 0, data: null };
  }
  const type = response.headers.get("content-type") || "";
  let data = null;
  if (type.includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.ok && data === null) return { status: 401, data: null };
  return { status: response.status, data };
}

/** The server's message for a failed answer, or a plain one. */
export function errorMessage(answer) {
  if (answer.data && typeof answer.data.error === "string" && answer.data.error) {
    return answer.data.error;
  }
  if (answer.status === 0) return "No connection to Heard.";
  if (answer.status === 401) return "You are signed out. Sign in again in another tab.";
  if (answer.status === 403) return "You may only read this interview.";
  if (answer.status === 404) return "Heard does not know this any more.";
  if (answer.status === 409) return "This was changed by someone else.";
  return `Heard answered with an error (${answer.status}).`;
}
