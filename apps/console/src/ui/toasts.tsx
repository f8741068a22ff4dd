import { X } from 'lucide-react';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { describeError } from '../api/api-error';
import { Button } from './button';

type Toast = { id: number; tone: 'info' | 'error'; title: string; detail?: string };
type ToastApi = {
  show: (toast: Omit<Toast, 'id'>) => void;
  /** Shows what went wrong in words: a problem+json `detail` when the server sent one. */
  showError: (title: string, error: unknown) => void;
};

const ToastContext = createContext<ToastApi | null>(null);
const TOAST_MS = 6000;

/**
 * Toasts in one polite live region, so screen readers announce them without moving focus.
 * Errors stay until dismissed: a person must be able to read why something failed.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      if (toast.tone === 'info') setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      show,
      showError: (title, error) => show({ tone: 'error', title, detail: describeError(error) }),
    }),
    [show],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toast-region" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
            <div className="toast-body">
              <p className="toast-title">{t.title}</p>
              {t.detail && <p>{t.detail}</p>}
            </div>
            <Button variant="ghost" size="sm" iconOnly aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              <X />
            </Button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts must be used inside ToastProvider');
  return api;
}
