// Where a browser keeps one person's unsent changes to one interview.

export function outboxKey(interviewId, userId) {
  return `heard:outbox:${interviewId}:${userId}`;
}
