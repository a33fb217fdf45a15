// What the console remembers during a session: the caller's role, the vocabularies, the
// chosen snapshot, and locks an officer collects before re-planning.
export const state = {
  session: null, // {role, role_zh, can_edit, sees_birth_dates}
  vocabulary: null,
  datasets: [],
};

const DS = "console.dataset";

export function datasetId() {
  const v = sessionStorage.getItem(DS);
  return v ? Number(v) : null;
}

export function setDatasetId(id) {
  if (id) sessionStorage.setItem(DS, String(id));
  else sessionStorage.removeItem(DS);
}

export function pendingLocks(planId) {
  return JSON.parse(sessionStorage.getItem(`console.locks.${planId}`) || "[]");
}

export function setPendingLocks(planId, locks) {
  sessionStorage.setItem(`console.locks.${planId}`, JSON.stringify(locks));
}
