/**
 * Calls `onGone` once when the process that started this one exits: the kernel then hands
 * us to another parent (init or a subreaper), so our parent PID changes. A supervisor, or
 * `npm start`, that is killed without passing its signal on must not leave the service (and
 * its embedded PostgreSQL) running. Polls, as Linux offers no portable notification.
 */
export function watchParent(onGone: () => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  // Started by init itself (a container's PID 1 or a system service): no parent to lose.
  if (parent <= 1) return () => {};
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
