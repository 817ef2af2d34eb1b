import type { Knex } from 'knex';
import type { DisconnectDeps } from '../connections/disconnect-google';
import type { GoogleAccess } from '../connections/google-access';
import type { RouteTable } from '../http/route-table';
import type { AddParticipantsDeps } from '../participants/add-participants';
import type { Console } from '../web/console-page';
import { registerSettingsPage } from './settings-page';
import { registerHostHoursPage } from './host-hours-page';
import { registerStudyFormPage } from './study-form-page';
import { registerStudiesPage } from './studies-page';
import { registerStudyPage } from './study-page';

export interface ConsolePagesDeps {
  knex: Knex;
  web: Console;
  add: AddParticipantsDeps;
  disconnect: DisconnectDeps;
  access: GoogleAccess;
  /** How often calendars without push are polled, for the settings page's words. */
  pollIntervalMinutes: number;
}

/**
 * The researcher console's pages on the existing use cases. Register `/studies/new` (and
 * other fixed paths under /studies) before these: `/studies/:id` answers any other one.
 */
export function registerConsolePages(table: RouteTable, deps: ConsolePagesDeps): void {
  registerStudiesPage(table, deps);
  registerStudyFormPage(table, { ...deps, publicUrl: deps.add.publicUrl }); // /studies/new before /studies/:id
  registerStudyPage(table, deps);
  registerSettingsPage(table, deps);
  registerHostHoursPage(table, deps);
}
