import { H3 } from '@leafygreen-ui/typography';
import type { ReactNode } from 'react';
import { LIMITS } from '../../../../contract/limits.ts';
import {
  ACCOUNT_SEGMENTS,
  ASSIGNMENT_ROLES,
  ATTENDANCE_MODES,
  ENGAGEMENT_TYPES,
  EVENT_STATUSES,
  TRAVEL_STATUSES,
} from '../../../../contract/program.ts';
import { EVENT_TYPES, REGIONS } from '../../../../contract/taxonomy.ts';
import type { Draft, FieldErrors } from './eventDraft.ts';
import { ChoiceInput, TextInput } from './fields.tsx';
import { EventPersonFinder, PersonChip } from './PeoplePicker.tsx';
import { TechStackInput } from './TechStackInput.tsx';
import { timeZones } from './zoned.ts';

const ZONES_LIST_ID = 'event-time-zones';

interface SectionsProps {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  errors: FieldErrors;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="ev-form__section">
      <legend>
        <H3 as="span">{title}</H3>
      </legend>
      <div className="ev-form__grid">{children}</div>
    </fieldset>
  );
}

/** Every EventCreate field, grouped as the detail page shows them, with the contract's bounds. */
export function EventFormFields({ draft, set, errors }: SectionsProps) {
  const text = (key: keyof Draft & keyof FieldErrors, label: string, max: number, extra: object = {}) => (
    <TextInput
      label={label}
      value={draft[key] as string}
      onChange={(v) => set(key, v as never)}
      maxLength={max}
      error={errors[key]}
      {...extra}
    />
  );
  return (
    <>
      <Section title="Basics">
        {text('name', 'Name', LIMITS.eventName, { required: true, className: 'ev-field--wide' })}
        <ChoiceInput
          label="Event type"
          value={draft.eventType}
          options={EVENT_TYPES}
          onChange={(v) => set('eventType', v)}
          error={errors.eventType}
          {...(draft.eventType === '' ? { empty: 'Choose…' } : {})}
        />
        <ChoiceInput
          label="Status"
          value={draft.status}
          options={EVENT_STATUSES}
          onChange={(v) => set('status', v)}
          error={errors.status}
        />
        {text('quarter', 'Quarter', LIMITS.eventQuarter, { placeholder: 'Q4 FY26' })}
        <ChoiceInput
          label="Engagement type"
          value={draft.engagementType}
          options={ENGAGEMENT_TYPES}
          onChange={(v) => set('engagementType', v)}
          empty="Not set"
          error={errors.engagementType}
        />
        <label className="ev-check ev-check--field">
          <input
            type="checkbox"
            checked={draft.isActive}
            onChange={(event) => set('isActive', event.target.checked)}
          />
          Active in capture picker
        </label>
      </Section>

      <Section title="Where & when">
        {text('startsOn', 'Starts on', 10, { type: 'date', required: true })}
        {text('endsOn', 'Ends on', 10, { type: 'date', required: true })}
        {text('timezone', 'Time zone', 64, { list: ZONES_LIST_ID, placeholder: 'Europe/Berlin' })}
        <datalist id={ZONES_LIST_ID}>
          {timeZones().map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <ChoiceInput
          label="Virtual or on-site"
          value={draft.attendance}
          options={ATTENDANCE_MODES}
          onChange={(v) => set('attendance', v)}
          error={errors.attendance}
        />
        <ChoiceInput
          label="Region"
          value={draft.region}
          options={REGIONS}
          onChange={(v) => set('region', v)}
          empty="Not set"
          error={errors.region}
        />
        {text('location', 'Location', LIMITS.eventText, { placeholder: 'City, venue' })}
        {text('latitude', 'Latitude', 20, { type: 'number', step: 'any', hint: '−90 to 90' })}
        {text('longitude', 'Longitude', 20, { type: 'number', step: 'any', hint: '−180 to 180' })}
      </Section>

      <Section title="Account">
        {text('accountName', 'Account', LIMITS.eventText)}
        <ChoiceInput
          label="Account segment"
          value={draft.accountSegment}
          options={ACCOUNT_SEGMENTS}
          onChange={(v) => set('accountSegment', v)}
          empty="Not set"
          error={errors.accountSegment}
        />
        {text('champion', 'Champion', LIMITS.eventText)}
        {text('marketer', 'Marketer', LIMITS.eventText)}
      </Section>

      <Section title="People">
        <PeopleFields draft={draft} set={set} errors={errors} />
      </Section>

      <Section title="Links">
        {text('eventUrl', 'Event page', LIMITS.eventUrl, { type: 'url', placeholder: 'https://' })}
        {text('trackerUrl', 'Tracker ticket', LIMITS.eventUrl, { type: 'url', placeholder: 'https://' })}
        {text('salesforceUrl', 'Salesforce', LIMITS.eventUrl, { type: 'url', placeholder: 'https://' })}
        {text('slackChannel', 'Slack channel', 81, { placeholder: '#devday-berlin' })}
      </Section>

      <Section title="Tech stack & travel">
        <TechStackInput
          value={draft.techStack}
          onChange={(v) => set('techStack', v)}
          error={errors.techStack}
        />
        <ChoiceInput
          label="Travel status"
          value={draft.travelStatus}
          options={TRAVEL_STATUSES}
          onChange={(v) => set('travelStatus', v)}
          empty="Not set"
          error={errors.travelStatus}
        />
      </Section>
    </>
  );
}

/** The owner (one person) and the assigned advocates (each with a role). */
function PeopleFields({ draft, set, errors }: SectionsProps) {
  const full = draft.assignments.length >= LIMITS.eventAssignments;
  return (
    <>
      <div className="ev-field" data-testid="owner-field">
        {draft.owner !== null ? (
          <>
            <span className="ev-field__label">Owner</span>
            <PersonChip name={draft.owner.name} what="owner" onRemove={() => set('owner', null)} />
            {errors.ownerId !== undefined && (
              <span className="ev-field__error" data-testid="field-error">
                {errors.ownerId}
              </span>
            )}
          </>
        ) : (
          <EventPersonFinder label="Owner" onPick={(person) => set('owner', person)} error={errors.ownerId} />
        )}
      </div>
      <div className="ev-field ev-field--wide" data-testid="assignments-field">
        <span className="ev-field__label">Assigned advocates ({draft.assignments.length})</span>
        {draft.assignments.length > 0 && (
          <ul className="ev-assignments" aria-label="Assigned advocates">
            {draft.assignments.map((assignment, index) => (
              <li key={assignment.person.id} className="ev-assignment" data-testid="assignment">
                <PersonChip
                  name={assignment.person.name}
                  what="assigned advocate"
                  onRemove={() =>
                    set(
                      'assignments',
                      draft.assignments.filter((_, i) => i !== index),
                    )
                  }
                />
                <label className="ev-inline-label">
                  <span className="visually-hidden">Role of {assignment.person.name}</span>
                  <select
                    className="ev-input"
                    value={assignment.role}
                    onChange={(event) =>
                      set(
                        'assignments',
                        draft.assignments.map((a, i) =>
                          i === index ? { ...a, role: event.target.value as typeof a.role } : a,
                        ),
                      )
                    }
                  >
                    {ASSIGNMENT_ROLES.map((role) => (
                      <option key={role.id} value={role.id}>
                        {role.label}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            ))}
          </ul>
        )}
        <EventPersonFinder
          label="Assign an advocate"
          disabled={full}
          exclude={draft.assignments.map((a) => a.person.id)}
          onPick={(person) => set('assignments', [...draft.assignments, { person, role: 'on_site' }])}
          error={errors.assignments}
        />
      </div>
    </>
  );
}
