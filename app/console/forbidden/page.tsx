import { AuthCard } from '@/components/auth/auth-card';

export default function Forbidden() {
  return (
    <AuthCard tenantName="IAM console" title="Not allowed">
      <p role="alert" className="text-sm text-slate-600">
        Your role does not allow this. The attempt was recorded in the audit log.
      </p>
      <a href="/console" className="mt-4 inline-block text-sm text-indigo-700 underline">
        Back to the console
      </a>
    </AuthCard>
  );
}
