/* commands.h: the truce subcommands, each `int cmd_NAME(argc, argv)` taking
 * the arguments after its name and returning the exit status. */
#ifndef TRUCE_CLI_COMMANDS_H
#define TRUCE_CLI_COMMANDS_H

int cmd_analyze(int argc, char **argv);
int cmd_negotiate(int argc, char **argv);
int cmd_agents(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_advise(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_mediate(int argc, char **argv);
int cmd_tournament(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_robust(int argc, char **argv);

#endif
