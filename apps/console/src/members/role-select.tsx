import type { Role } from '@confidant/contract';
import { useId } from 'react';
import { roleAtMost } from '../shell/roles';

const roles: Role[] = ['viewer', 'agent', 'admin', 'owner'];
export const roleName = (role: Role) => role[0]!.toUpperCase() + role.slice(1);

/** A role picker offering only roles up to the person's own (the server's role ceiling). */
export function RoleSelect({
  label,
  value,
  myRole,
  onChange,
  disabled,
  hideLabel = false,
}: {
  label: string;
  value: Role;
  myRole: Role;
  onChange: (role: Role) => void;
  disabled?: boolean;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className={hideLabel ? 'visually-hidden' : 'field-label'} htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="select"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as Role)}
      >
        {roles
          .filter((r) => roleAtMost(r, myRole) || r === value)
          .map((r) => (
            <option key={r} value={r} disabled={!roleAtMost(r, myRole)}>
              {roleName(r)}
            </option>
          ))}
      </select>
    </div>
  );
}
