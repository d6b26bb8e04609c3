import { Badge } from '@/components/ui/badge';

export function UserStatusBadges({ user }: { user: { disabled: boolean; locked: boolean; mustChangePassword: boolean; mfaEnrolled?: boolean } }) {
  return (
    <span className="flex flex-wrap gap-1">
      {user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
      {user.locked && <Badge tone="amber">locked out</Badge>}
      {user.mustChangePassword && <Badge tone="blue">must change password</Badge>}
      {user.mfaEnrolled && <Badge tone="indigo">MFA</Badge>}
    </span>
  );
}
