// `mysql2`, loaded on the first MySQL/MariaDB connection. The extension's bundle keeps it in a file of its own
// (dist/drivers/mysql.js, see esbuild.mjs): with its SSL profiles it is two thirds of what activation would parse.
import mysqlPromise from 'mysql2/promise';
import mysql from 'mysql2';

export const driver = mysqlPromise;
export const authPlugins = mysql.authPlugins;
