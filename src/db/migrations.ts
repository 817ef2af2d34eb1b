import type { Knex } from 'knex';
import * as initialSchema from '../../migrations/20261124000100_initial_schema';
import * as outboxSealedBookingLink from '../../migrations/20261204000100_outbox_sealed_booking_link';
import * as bookingEventDeletePending from '../../migrations/20261204201500_booking_event_delete_pending';
import * as participantSealedBookingLink from '../../migrations/20261204213000_participant_sealed_booking_link';
import * as bookingsStudyStartIndex from '../../migrations/20261205001000_bookings_study_start_index';
import * as calendarChannelMessages from '../../migrations/20261205004000_calendar_channel_messages';
import * as researcherTimeZone from '../../migrations/20261205005000_researcher_time_zone';
import * as rateLimitCounts from '../../migrations/20261205005100_rate_limit_counts';
import * as bookingEventMovedFrom from '../../migrations/20261205005200_booking_event_moved_from';
import * as connectionNeedsConsent from '../../migrations/20261205005300_connection_needs_consent';
import * as calendarPushState from '../../migrations/20261205010000_calendar_push_state';
import * as bookingEventOrganizer from '../../migrations/20261205012000_booking_event_organizer';
import * as historyBookingFailed from '../../migrations/20261205013000_history_booking_failed';
import * as participantTimeZone from '../../migrations/20261205015000_participant_time_zone';
import * as bookingEmails from '../../migrations/20261205020000_booking_emails';
import * as devMailboxAttachments from '../../migrations/20261205020100_dev_mailbox_attachments';
import * as bookingReminders from '../../migrations/20261205021000_booking_reminders';
import * as studyConsent from '../../migrations/20261205022000_study_consent';
import * as participantActivity from '../../migrations/20261205023000_participant_activity';
import * as replacedBookingLinks from '../../migrations/20261205024000_replaced_booking_links';
import * as studyEmailTemplates from '../../migrations/20261205025000_study_email_templates';
import * as bookingBookedBy from '../../migrations/20261205030000_booking_booked_by';
import * as loggedInterviews from '../../migrations/20261205030100_logged_interviews';
import * as loggedInterviewEdits from '../../migrations/20261205110000_logged_interview_edits';

import * as bookingRemindersBookingIndex from '../../migrations/20261205032000_booking_reminders_booking_index';
import * as teams from '../../migrations/20261205100000_teams';
import * as studyHosts from '../../migrations/20261205100100_study_hosts';
import * as ownTeamOnlyForNewResearchers from '../../migrations/20261205121000_own_team_only_for_new_researchers';
import * as hostResponses from '../../migrations/20261205115000_host_responses';
import * as loggedInterviewHost from '../../migrations/20261205120000_logged_interview_host';
/**
 * Migrations are listed here rather than found on disk, so the same list works under tsx,
 * jest and compiled output alike. Add each new file of migrations/ to this list.
 */
const migrations: Record<string, Knex.Migration> = {
  '20261124000100_initial_schema': initialSchema,
  '20261204000100_outbox_sealed_booking_link': outboxSealedBookingLink,
  '20261204201500_booking_event_delete_pending': bookingEventDeletePending,
  '20261204213000_participant_sealed_booking_link': participantSealedBookingLink,
  '20261205001000_bookings_study_start_index': bookingsStudyStartIndex,
  '20261205004000_calendar_channel_messages': calendarChannelMessages,
  '20261205005000_researcher_time_zone': researcherTimeZone,
  '20261205005100_rate_limit_counts': rateLimitCounts,
  '20261205005200_booking_event_moved_from': bookingEventMovedFrom,
  '20261205005300_connection_needs_consent': connectionNeedsConsent,
  '20261205010000_calendar_push_state': calendarPushState,
  '20261205012000_booking_event_organizer': bookingEventOrganizer,
  '20261205013000_history_booking_failed': historyBookingFailed,
  '20261205015000_participant_time_zone': participantTimeZone,
  '20261205020000_booking_emails': bookingEmails,
  '20261205020100_dev_mailbox_attachments': devMailboxAttachments,
  '20261205021000_booking_reminders': bookingReminders,
  '20261205022000_study_consent': studyConsent,
  '20261205023000_participant_activity': participantActivity,
  '20261205024000_replaced_booking_links': replacedBookingLinks,
  '20261205025000_study_email_templates': studyEmailTemplates,
  '20261205030000_booking_booked_by': bookingBookedBy,
  '20261205030100_logged_interviews': loggedInterviews,
  '20261205032000_booking_reminders_booking_index': bookingRemindersBookingIndex,
  '20261205100000_teams': teams,
  '20261205100100_study_hosts': studyHosts,
  '20261205121000_own_team_only_for_new_researchers': ownTeamOnlyForNewResearchers,
  '20261205110000_logged_interview_edits': loggedInterviewEdits,
  '20261205115000_host_responses': hostResponses,
  '20261205120000_logged_interview_host': loggedInterviewHost,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when every known migration has run: what /readyz checks. */
export async function migrationsAreCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
