/** Viewers read reports but don't capture; every tab still opens for them. */
export function ViewerNotice({ roleLabel }: { roleLabel: string }) {
  return (
    <p className="notice" data-testid="viewer-notice">
      Your role ({roleLabel}) can read reports but not capture insights. Ask your manager if you need to
      capture.
    </p>
  );
}
