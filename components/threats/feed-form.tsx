'use client';

import { useState } from 'react';
import { feedInputSchema } from '@/lib/threats/schemas';
import type { FormAction } from '@/components/ui/action-state';
import { zodFieldErrors } from '@/components/ui/action-state';
import { CheckboxField, SelectField, TextAreaField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { feedInput } from './form-inputs';

export interface FeedFormValues {
  id?: string;
  name: string;
  url: string;
  description: string;
  format: string;
  kind: string;
  enabled: boolean;
  intervalMinutes: number;
  action: string | null;
  options: { csv?: { delimiter?: string; header?: boolean; column?: string; endColumn?: string; prefixColumn?: string; minColumn?: string; minValue?: number }; json?: { path?: string } };
}

const validate = (fd: FormData) => {
  const parsed = feedInputSchema.safeParse(feedInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

const BLANK: FeedFormValues = { name: '', url: 'https://', description: '', format: 'plain', kind: 'ip', enabled: true, intervalMinutes: 60, action: null, options: {} };

/** Add or edit a feed. The format picks which mapping fields show (CSV columns, JSON path). */
export function FeedForm({ action, initial = BLANK, submitLabel }: { action: FormAction; initial?: FeedFormValues; submitLabel: string }) {
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  const [format, setFormat] = useState(initial.format);
  const csv = initial.options.csv ?? {};
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label={submitLabel}>
      <FormMessage state={state} />
      {initial.id && <input type="hidden" name="feedId" value={initial.id} />}
      <TextField label="Name" name="name" required maxLength={100} defaultValue={initial.name} error={errorFor(errors, 'name')} />
      <TextField label="URL" name="url" type="url" required defaultValue={initial.url} spellCheck={false} hint="https is verified against the system's trusted certificates; downloads stop at 50 MB and 60 seconds." error={errorFor(errors, 'url')} />
      <TextAreaField label="Description" name="description" maxLength={500} defaultValue={initial.description} error={errorFor(errors, 'description')} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Format"
          name="format"
          value={format}
          onChange={(e) => setFormat(e.target.value)}
          options={[
            { value: 'plain', label: 'Plain list (one IP, CIDR or domain a line; # and ; comments)' },
            { value: 'csv', label: 'CSV with a column mapping' },
            { value: 'json', label: 'JSON / JSON Lines with a path' },
            { value: 'stix', label: 'STIX 2.1 bundle (indicator patterns)' },
          ]}
          error={errorFor(errors, 'format')}
        />
        <SelectField
          label="Contains"
          name="kind"
          defaultValue={initial.kind}
          options={[
            { value: 'ip', label: 'IP addresses and networks' },
            { value: 'domain', label: 'Domains (or URLs: their host names)' },
          ]}
          error={errorFor(errors, 'kind')}
        />
      </div>
      {format === 'csv' && (
        <fieldset className="grid gap-4 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
          <legend className="px-1 text-sm font-medium text-slate-800">CSV mapping</legend>
          <SelectField
            label="Delimiter"
            name="csvDelimiter"
            defaultValue={csv.delimiter === '\t' ? 'tab' : (csv.delimiter ?? ',')}
            options={[
              { value: ',', label: 'Comma' },
              { value: ';', label: 'Semicolon' },
              { value: 'tab', label: 'Tab' },
              { value: '|', label: 'Pipe' },
              { value: ' ', label: 'Space' },
            ]}
          />
          <div className="pt-6">
            <CheckboxField label="First line is a header" name="csvHeader" defaultChecked={csv.header ?? true} />
          </div>
          <TextField label="Value column" name="csvColumn" defaultValue={csv.column ?? '1'} hint="A header name or a column number (from 1)." error={errorFor(errors, 'options.csv.column')} />
          <TextField label="Range end column" name="csvEndColumn" defaultValue={csv.endColumn ?? ''} hint="Optional: the last address of a range." />
          <TextField label="Prefix column" name="csvPrefixColumn" defaultValue={csv.prefixColumn ?? ''} hint="Optional: prefix length (24) or netmask." />
          <TextField label="Score column" name="csvMinColumn" defaultValue={csv.minColumn ?? ''} hint="Optional: keep rows whose score is at least the minimum." />
          <TextField label="Minimum score" name="csvMinValue" type="number" defaultValue={csv.minValue?.toString() ?? ''} error={errorFor(errors, 'options.csv.minValue')} />
        </fieldset>
      )}
      {format === 'json' && (
        <TextField label="JSON path" name="jsonPath" required defaultValue={initial.options.json?.path ?? '$[*]'} spellCheck={false} hint="JSONPath to the values: $[*].ip_address, $.data[*].ip, $..cidr. JSON Lines documents apply it to each line ($.cidr)." error={errorFor(errors, 'options.json.path')} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Fetch every (minutes)" name="intervalMinutes" type="number" min={5} max={10080} defaultValue={String(initial.intervalMinutes)} hint="Respect the publisher's limits (Spamhaus: at most hourly)." error={errorFor(errors, 'intervalMinutes')} />
        <SelectField
          label="Action on a match"
          name="action"
          defaultValue={initial.action ?? ''}
          hint="A tenant's own policy, when set, overrides this."
          options={[
            { value: '', label: 'The policy default' },
            { value: 'block', label: 'Block' },
            { value: 'challenge', label: 'Challenge with MFA at sign-in' },
            { value: 'log', label: 'Log only' },
          ]}
        />
      </div>
      <CheckboxField label="Enabled" name="enabled" defaultChecked={initial.enabled} hint="Enabled feeds are fetched on schedule and matched against every request." />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
