import { type ReactNode, useEffect, useRef } from 'react';
import './drawer.css';

interface ModalProps {
  /** Names the dialog (aria-labelledby). */
  labelledBy: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
  testId?: string;
}

/**
 * A modal <dialog>: the browser keeps focus inside and makes the page behind inert; Escape asks to close
 * (onClose decides). Focus moves to the first [data-autofocus] element (or the dialog) when it opens and back
 * to whatever had it before when it closes.
 */
export function Modal({ labelledBy, onClose, className, children, testId }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]');
    (first ?? dialog).focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    // The browser may also close the dialog itself (a repeated Escape skips "cancel"): follow it.
    const onNativeClose = () => close.current();
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={labelledBy} className={className} data-testid={testId} tabIndex={-1}>
      {children}
    </dialog>
  );
}
