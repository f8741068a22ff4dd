import { type ReactNode, useId } from 'react';

/** One section of the Settings page: an icon, a title, what it is for, then its controls. */
export function SettingsCard({
  icon,
  title,
  lead,
  children,
  className,
}: {
  icon: ReactNode;
  title: string;
  lead: string;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section className={className ? `settings-card ${className}` : 'settings-card'} aria-labelledby={id}>
      <div className="settings-card-head">
        <span className="settings-card-icon">{icon}</span>
        <div>
          <h2 id={id} className="section-title">
            {title}
          </h2>
          <p className="muted">{lead}</p>
        </div>
      </div>
      {children}
    </section>
  );
}
